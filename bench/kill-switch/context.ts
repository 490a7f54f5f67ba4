import { join } from 'node:path';
import { envNumber } from '../lib/env.js';
import { TempDirs } from '../lib/temp-dirs.js';

/** Timed runs per figure (BENCH_RUNS, default 7, at least 5), each after one warm-up. */
export const RUNS = envNumber('BENCH_RUNS', 7, 5);

/** Labelled containers the kill switch has to remove per run (BENCH_CONTAINERS, default 20). */
export const CONTAINERS = envNumber('BENCH_CONTAINERS', 20, 1);

/** Every state dir and scratch file of this bench, removed when it ends. */
export const tempDirs = new TempDirs();

/** A new, not yet existing state dir: every supervisor starts as on a fresh install. */
export function freshStateDir(): string {
  return join(tempDirs.make('clawdbot-bench-'), 'state');
}
