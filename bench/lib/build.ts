import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { envFlag } from './env.js';
import { repoRoot } from './paths.js';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Builds out/ with `electron-vite build` when `entry` (a built file the bench runs) is missing or
 * older than the sources. A bench that runs built code beside code from source needs the two to
 * match: a newer migration in the source would make a stale built gateway refuse the database.
 * Uses the same staleness rule and stamp file as test/global-setup.ts, so neither rebuilds after
 * the other. BENCH_NO_BUILD=1 never builds (a stale build only earns a warning).
 */
export function ensureBuilt(entry: string): void {
  const stamp = join(repoRoot, 'out', '.build-stamp');
  const sources = Math.max(
    ...['src-main', 'src-shared', 'src-renderer'].map((d) => newestMtime(join(repoRoot, d))),
    statSync(join(repoRoot, 'electron.vite.config.ts')).mtimeMs,
  );
  const built = existsSync(stamp)
    ? statSync(stamp).mtimeMs
    : existsSync(entry)
      ? statSync(entry).mtimeMs
      : 0;
  if (existsSync(entry) && built >= sources) return;
  if (existsSync(entry) && envFlag('BENCH_NO_BUILD')) {
    console.warn(`warning: ${entry} is older than the sources (BENCH_NO_BUILD=1: not rebuilding)`);
    return;
  }
  console.log(`${entry} is ${existsSync(entry) ? 'older than the sources' : 'missing'}: building…`);
  execFileSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (!existsSync(entry)) throw new Error(`build did not produce ${entry}`);
  writeFileSync(stamp, new Date().toISOString());
}
