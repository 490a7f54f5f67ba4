import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { envNumber } from '../lib/env.js';
import { TempDirs } from '../lib/temp-dirs.js';

/** Timed runs per figure (BENCH_RUNS, default 21, at least 15), each set after one warm-up. */
export const RUNS = envNumber('BENCH_RUNS', 21, 15);

/** Every state dir of this bench, removed when it ends. */
export const tempDirs = new TempDirs();

/** A fresh state dir: its workspaces, and nothing of a real install. */
export function freshStateDir(): string {
  return join(tempDirs.make('clawdbot-bench-tools-'), 'state');
}

/**
 * A tag in every session key of this run, so the bench's containers are told apart from a
 * concurrent test run's on the same engine and removed (all of them, also strays) at the end.
 */
export const RUN_TAG = `bench-tools-${randomBytes(4).toString('hex')}`;

/** Containers of the `docker run` baseline are named with this prefix. */
export const BASELINE_PREFIX = `clawdbot-${RUN_TAG}-run-`;
