import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { readLogRecords } from '../helpers/log-files.js';
import { repoRoot } from '../helpers/paths.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function appendFrom(pattern: string, tag: string, count: number): Promise<number | null> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      join(import.meta.dirname, 'fixtures', 'append-lines.ts'),
      pattern,
      tag,
      String(count),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'ignore', 'inherit'] },
  );
  return new Promise((resolve) => child.on('exit', (code) => resolve(code)));
}

it('two processes appending to the same file produce only whole lines', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'clawdbot-append-'));
  dirs.push(dir);
  const pattern = join(dir, 'logs', 'clawdbot-YYYY-MM-DD.log');
  // 4 KiB lines: long enough that a non-appending writer would visibly tear them.
  const codes = await Promise.all([appendFrom(pattern, 'a', 1500), appendFrom(pattern, 'b', 1500)]);
  expect(codes).toEqual([0, 0]);
  const records = readLogRecords(join(dir, 'logs'));
  const count = (tag: string): number => records.filter((r) => r['tag'] === tag).length;
  expect([count('a'), count('b')]).toEqual([1500, 1500]);
});
