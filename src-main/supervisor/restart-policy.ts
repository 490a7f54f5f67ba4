/** When and whether to restart a gateway that died on its own. */
export interface RestartPolicyOptions {
  /** Delay before each consecutive restart; the last entry repeats. */
  backoffMs: readonly number[];
  /** This many crashes inside `windowMs` means a crash loop: stop trying. */
  maxCrashes: number;
  windowMs: number;
  /** A gateway that stayed up this long is healthy again: the backoff starts over. */
  stableAfterMs: number;
}

/** The product's policy: 1 s, 2 s, 5 s, 10 s, 30 s; give up after 5 crashes within 60 s. */
export const defaultRestartPolicy: RestartPolicyOptions = {
  backoffMs: [1000, 2000, 5000, 10_000, 30_000],
  maxCrashes: 5,
  windowMs: 60_000,
  stableAfterMs: 60_000,
};

/** What to do after a crash. */
export type RestartDecision =
  | { kind: 'restart'; delayMs: number; attempt: number }
  | { kind: 'give-up'; crashesInWindow: number };

/**
 * Tracks crashes and decides each time whether to restart and after how long. Pure apart from
 * the times it is told, so the crash-loop rule is unit-testable without waiting.
 */
export class RestartPolicy {
  private crashTimes: number[] = [];
  private consecutive = 0;

  constructor(private readonly options: RestartPolicyOptions = defaultRestartPolicy) {}

  /** Records a crash at `at` of a process that had been up for `uptimeMs`, and decides. */
  onCrash(at: number, uptimeMs: number): RestartDecision {
    if (uptimeMs >= this.options.stableAfterMs) this.consecutive = 0;
    this.crashTimes = this.crashTimes.filter((t) => at - t < this.options.windowMs);
    this.crashTimes.push(at);
    if (this.crashTimes.length >= this.options.maxCrashes) {
      return { kind: 'give-up', crashesInWindow: this.crashTimes.length };
    }
    const { backoffMs } = this.options;
    const delayMs = backoffMs[Math.min(this.consecutive, backoffMs.length - 1)] ?? 0;
    this.consecutive += 1;
    return { kind: 'restart', delayMs, attempt: this.consecutive };
  }

  /** Forgets the history: an owner's explicit start deserves a fresh set of tries. */
  reset(): void {
    this.crashTimes = [];
    this.consecutive = 0;
  }
}
