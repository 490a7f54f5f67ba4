/** What the bound decided about one message. */
export interface QueueAdmission {
  admitted: boolean;
  /** Dropped, and the first drop since the session's queue was last empty: say so once. */
  firstDrop: boolean;
}

/**
 * A bound on how many messages each session holds waiting for an answer. It counts, per session,
 * the messages admitted and not yet finished (waiting in the inbox for their turn, or being
 * answered). Past the bound, messages are dropped; the first drop of an overflow is reported,
 * the rest are not, until the session has caught up (nothing of it waiting again).
 */
export class QueueBound {
  private readonly waiting = new Map<string, number>();
  private readonly noticed = new Set<string>();

  /**
   * Admits a message to its session's queue unless `max` (null: no bound) are already waiting
   * behind the one being answered; an admitted message holds its place until {@link leave}.
   */
  admit(sessionKey: string, max: number | null): QueueAdmission {
    const waiting = this.waiting.get(sessionKey) ?? 0;
    if (waiting === 0) this.noticed.delete(sessionKey);
    // The message being answered is not waiting; `max` more may wait behind it.
    if (max === null || waiting <= max) {
      this.waiting.set(sessionKey, waiting + 1);
      return { admitted: true, firstDrop: false };
    }
    const firstDrop = !this.noticed.has(sessionKey);
    this.noticed.add(sessionKey);
    return { admitted: false, firstDrop };
  }

  /** An admitted message finished (answered, failed, or cut short by a stop): its place is free. */
  leave(sessionKey: string): void {
    const left = (this.waiting.get(sessionKey) ?? 0) - 1;
    if (left > 0) this.waiting.set(sessionKey, left);
    else this.waiting.delete(sessionKey);
  }
}
