/**
 * `npm run bench:durability`: runs every bench in bench/durability/ (each `*.ts` directly in it
 * is a bench of its own, with its helpers in a folder of the same name), one after another, each
 * in a fresh process with this environment (BENCH_RUNS, BENCH_NO_WRITE, …). Each writes its own
 * section of bench/RESULTS.md. Exits non-zero when any of them failed, after running the rest.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { benchDir } from './lib/paths.js';

const dir = join(benchDir, 'durability');
const benches = readdirSync(dir, { withFileTypes: true })
  .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
  .map((entry) => entry.name)
  .sort();
const failed: string[] = [];
for (const name of benches) {
  console.log(`\n=== bench/durability/${name} ===`);
  // This process's tsx loader flags are passed on, so the bench loads TypeScript as this does.
  const result = spawnSync(process.execPath, [...process.execArgv, join(dir, name)], {
    stdio: 'inherit',
  });
  if (result.status !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\nfailed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
