import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  INLINE_HASHES_FILE,
  NO_INLINE_HASHES,
  readInlineHashes,
} from '../../src-main/web/inline-hashes.js';

const HASH = 'sha256-nCe6WrFNCKOFLyC9djeW1ZUO97V10lEervqzyGTDSUQ=';

describe("the build's inline hashes", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'clawdbot-inline-hashes-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (content: string) => writeFileSync(join(dir, INLINE_HASHES_FILE), content);

  it('reads the hashes the build wrote', () => {
    write(JSON.stringify({ scripts: [HASH], styles: [HASH] }));
    expect(readInlineHashes(dir)).toEqual({ scripts: [HASH], styles: [HASH] });
  });

  it('a renderer without the file has nothing inline to allow', () => {
    expect(readInlineHashes(dir)).toEqual(NO_INLINE_HASHES);
  });

  it.each([
    ['a source other than a hash', { scripts: ["'unsafe-inline'"], styles: [] }],
    ['a host', { scripts: [], styles: ['https://cdn.example'] }],
    ['a hash with a policy smuggled after it', { scripts: [`${HASH}; script-src *`], styles: [] }],
    ['another field', { scripts: [HASH], styles: [], images: [] }],
    ['a kind missing', { scripts: [HASH] }],
  ])('refuses a file with %s, naming the file, rather than widen the policy', (_what, content) => {
    write(JSON.stringify(content));
    expect(() => readInlineHashes(dir)).toThrow(INLINE_HASHES_FILE);
  });

  it('says the file is not JSON when it is not', () => {
    write('{ scripts: [');
    expect(() => readInlineHashes(dir)).toThrow(/inline-hashes\.json is not JSON/);
  });
});
