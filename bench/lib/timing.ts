import { performance } from 'node:perf_hooks';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** How a run is named in a bench's progress log: `warm-up` for run 0, else `run i/N`. */
export function runLabel(run: number, runs: number): string {
  return run === 0 ? 'warm-up' : `run ${run}/${runs}`;
}

/** Per-field columns of a list of samples: `{ a: 1, b: 2 }[]` → `{ a: 1[], b: 2[] }`. */
export type Columns<T> = { [K in keyof T]: T[K][] };

/**
 * Calls `measure` once as a warm-up and then `runs` times, and returns the `runs` timed samples
 * as columns, one per field of the sample. The warm-up is measured the same way but discarded:
 * the first run pays for JIT compilation, lazy module loads and cold caches, which is not what
 * the figure is about. A bench measures a figure and its baseline inside one `measure` call
 * (one field each), so both see the same load.
 */
export async function afterWarmUp<T extends object>(
  runs: number,
  measure: (run: number, label: string) => Promise<T>,
): Promise<Columns<T>> {
  const columns: Partial<Record<keyof T, unknown[]>> = {};
  for (let run = 0; run <= runs; run++) {
    const sample = await measure(run, runLabel(run, runs));
    if (run === 0) continue;
    for (const key of Object.keys(sample) as (keyof T)[]) (columns[key] ??= []).push(sample[key]);
  }
  return columns as Columns<T>;
}

/**
 * Times `count` calls of `fn` after `warmUps` discarded calls, in ms. A synchronous `fn` is timed
 * without an `await` inside the timing, so no microtask turn is charged to it.
 */
export async function timeRepeated(
  count: number,
  warmUps: number,
  fn: () => unknown,
): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < warmUps + count; i++) {
    const t0 = performance.now();
    const result = fn();
    if (result instanceof Promise) await result;
    const ms = performance.now() - t0;
    if (i >= warmUps) times.push(ms);
  }
  return times;
}

/**
 * Runs one sample, retrying it (at most `attempts` times in all) when it throws. For samples that
 * something outside the bench can invalidate, e.g. a concurrent test run's cleanup removing the
 * bench's containers on a shared Docker engine; `run` gets the attempt number to name things.
 */
export async function retrySample<T>(
  what: string,
  run: (attempt: number) => Promise<T>,
  attempts = 3,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (error) {
      if (attempt >= attempts) throw error;
      console.warn(`${what} failed (attempt ${attempt}), retrying: ${describeError(error)}`);
    }
  }
}
