/** The waits between reconnect attempts: quick at first, then at most every 30 s. */
export const RECONNECT_DELAYS_MS: readonly number[] = [1_000, 2_000, 5_000, 10_000, 30_000];

/** How long a connection must stay open before a later drop starts the schedule over. */
export const STABLE_CONNECTION_MS = 60_000;

/**
 * The reconnect schedule of one provider. A connection that flaps (opens and drops at once)
 * keeps climbing towards the cap, so a broken network or a conflicting session is not hammered;
 * one that stayed up for a while starts again from the first, short wait.
 */
export class ReconnectBackoff {
  private attempt = 0;
  private openedAt: number | null = null;

  constructor(
    private readonly delaysMs: readonly number[] = RECONNECT_DELAYS_MS,
    private readonly stableMs = STABLE_CONNECTION_MS,
    private readonly now: () => number = Date.now,
  ) {
    if (delaysMs.length === 0) throw new Error('ReconnectBackoff needs at least one delay');
  }

  /** The connection opened. */
  opened(): void {
    this.openedAt = this.now();
  }

  /** The connection closed: how long to wait before the next attempt. */
  nextDelay(): number {
    if (this.openedAt !== null && this.now() - this.openedAt >= this.stableMs) this.attempt = 0;
    this.openedAt = null;
    const delay = this.delaysMs[Math.min(this.attempt, this.delaysMs.length - 1)]!;
    this.attempt += 1;
    return delay;
  }
}
