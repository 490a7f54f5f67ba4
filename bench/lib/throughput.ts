import { performance } from 'node:perf_hooks';

/**
 * An operation whose rate is measured in timed batches. Exactly one of `sync` and `async` is set:
 * a synchronous operation is timed in a plain loop, since awaiting it would time the microtask
 * queue too. Either returns whether call `i` gave the expected result.
 */
export interface BatchedOp {
  label: string;
  sync?: (i: number) => boolean;
  async?: (i: number) => Promise<boolean>;
  /** Calls per timed batch, set by `calibrateBatch`. */
  batch: number;
  /** Calls per second of each timed batch, appended by `timeRounds`. */
  rates: number[];
}

/**
 * Times `n` calls of `op` in ms, and fails unless every call gave the expected result: a fast
 * wrong answer (a rejected message counted as a decision) must not pass for a fast right one.
 */
export async function timeBatch(op: BatchedOp, n: number): Promise<number> {
  let ok = 0;
  let t: number;
  if (op.sync) {
    const fn = op.sync;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) if (fn(i)) ok++;
    t = performance.now() - t0;
  } else {
    const fn = op.async!;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) if (await fn(i)) ok++;
    t = performance.now() - t0;
  }
  if (ok !== n)
    throw new Error(`${op.label}: ${n - ok} of ${n} calls were not the expected result`);
  return t;
}

/**
 * Warms `op` up and sizes its batch to about `batchMs`: grows a trial batch until it takes at
 * least 50 ms (long enough to time reliably), scales it, then runs one more full warm-up batch.
 */
export async function calibrateBatch(op: BatchedOp, batchMs: number): Promise<void> {
  let n = 64;
  for (;;) {
    const t = await timeBatch(op, n);
    if (t >= 50) {
      op.batch = Math.max(64, Math.round((n * batchMs) / t));
      await timeBatch(op, op.batch);
      return;
    }
    n *= t < 5 ? 8 : 2;
  }
}

/**
 * Times one batch of every op per round, `rounds` times, appending each batch's rate to its op.
 * Everything is interleaved round by round, in reverse order every other round, so a change in
 * the machine's load hits each figure and its baseline alike. `onRound` reports progress.
 */
export async function timeRounds(
  ops: readonly BatchedOp[],
  rounds: number,
  onRound: (round: number) => void,
): Promise<void> {
  for (let round = 1; round <= rounds; round++) {
    const order = round % 2 === 1 ? ops : [...ops].reverse();
    for (const op of order) {
      const ms = await timeBatch(op, op.batch);
      op.rates.push((op.batch * 1000) / ms);
    }
    onRound(round);
  }
}
