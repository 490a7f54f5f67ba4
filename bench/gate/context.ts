import { envNumber } from '../lib/env.js';
import { TempDirs } from '../lib/temp-dirs.js';
import { createLogger, type Logger } from '../../src-main/logging/logger.js';

/** Timed throughput batches per figure (BENCH_RUNS, default 7, at least 5). */
export const RUNS = envNumber('BENCH_RUNS', 7, 5);
/** Timed approvals per latency figure (BENCH_LATENCY_RUNS, default 11, at least 5). */
export const LATENCY_RUNS = envNumber('BENCH_LATENCY_RUNS', 11, 5);
/** About how long one throughput batch takes (BENCH_BATCH_MS, default 200). */
export const BATCH_MS = envNumber('BENCH_BATCH_MS', 200, 20);

/** Every state dir and scratch database of this bench, removed when it ends. */
export const tempDirs = new TempDirs();

/** A fresh directory for one state dir and its neighbours (anchor stores, scratch databases). */
export function freshRoot(): string {
  return tempDirs.make('clawdbot-bench-gate-');
}

/** Fails the bench: a figure measured on a setup that is not what it claims is worthless. */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`bench/gate: ${message}`);
}

/**
 * A logger that writes nothing but counts its lines: logging would be part of the timed path,
 * and the timed path is expected to log nothing at all.
 */
export function quietLogger(): { log: Logger; lines: () => number } {
  let lines = 0;
  return {
    log: createLogger({ process: 'bench', write: () => void lines++ }),
    lines: () => lines,
  };
}
