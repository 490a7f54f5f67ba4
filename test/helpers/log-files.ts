import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** Every file below `dir`, recursively. */
export function listFilesBelow(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  return entries.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFilesBelow(path) : [path];
  });
}

/** The text of every file below `dir` (for canary checks: a secret must be in none of them). */
export function readAllLogText(dir: string): string {
  return listFilesBelow(dir)
    .map((path) => readFileSync(path, 'utf8'))
    .join('\n');
}

/** Every JSON line of every file below `dir`; throws on a line that is not whole JSON. */
export function readLogRecords(dir: string): Record<string, unknown>[] {
  return readAllLogText(dir)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}
