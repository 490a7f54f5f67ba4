import { performance } from 'node:perf_hooks';
import { envNumber } from '../lib/env.js';

/** Timed runs per figure (BENCH_RUNS, default 7, at least 5), each after one warm-up. */
export const RUNS = envNumber('BENCH_RUNS', 7, 5);
/** Updates queued per throughput run (BENCH_UPDATES, default 10,000). */
export const UPDATES = envNumber('BENCH_UPDATES', 10_000, 1000);
/** Single updates per latency run (BENCH_LATENCY_SAMPLES, default 200). */
export const LATENCY_SAMPLES = envNumber('BENCH_LATENCY_SAMPLES', 200, 50);

/** Allowed senders, in `telegram.allowFrom`; the updates cycle through them. */
export const SENDERS = 1000;
/** Telegram user ids of the allowed senders. */
export const senderIds = Array.from({ length: SENDERS }, (_, i) => 200_000_000 + i * 7919);

/**
 * Wall-clock time in ms with sub-millisecond resolution, comparable across processes on this
 * machine: the fake server stamps a response with it, this process an arrival.
 */
export const clock = (): number => performance.timeOrigin + performance.now();
