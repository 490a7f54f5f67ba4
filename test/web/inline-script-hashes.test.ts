import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  INLINE_SCRIPT_HASHES_FILE,
  readInlineScriptHashes,
} from '../../src-main/web/inline-script-hashes.js';

const HASH = 'sha256-nCe6WrFNCKOFLyC9djeW1ZUO97V10lEervqzyGTDSUQ=';

describe("the build's inline script hashes", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'clawdbot-inline-hashes-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (content: string) => writeFileSync(join(dir, INLINE_SCRIPT_HASHES_FILE), content);

  it('reads the hashes the build wrote', () => {
    write(JSON.stringify({ scriptHashes: [HASH] }));
    expect(readInlineScriptHashes(dir)).toEqual([HASH]);
  });

  it('a renderer without the file has no inline script to allow', () => {
    expect(readInlineScriptHashes(dir)).toEqual([]);
  });

  it.each([
    ['a source other than a hash', JSON.stringify({ scriptHashes: ["'unsafe-inline'"] })],
    ['a host', JSON.stringify({ scriptHashes: ['https://cdn.example'] })],
    [
      'a hash with a policy smuggled after it',
      JSON.stringify({ scriptHashes: [`${HASH}; script-src *`] }),
    ],
    ['another field', JSON.stringify({ scriptHashes: [HASH], styleHashes: [] })],
  ])('refuses a file with %s, naming the file, rather than widen the policy', (_what, content) => {
    write(content);
    expect(() => readInlineScriptHashes(dir)).toThrow(INLINE_SCRIPT_HASHES_FILE);
  });

  it('says the file is not JSON when it is not', () => {
    write('{ scriptHashes: [');
    expect(() => readInlineScriptHashes(dir)).toThrow(/inline-script-hashes\.json is not JSON/);
  });
});
