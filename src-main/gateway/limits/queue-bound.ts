/** What the bound decided about one message. */
export interface QueueAdmission {
  admitted: boolean;
  /** Dropped, and the first drop since the session's queue was last empty: say so once. */
  firstDrop: boolean;
}

/**
 * A bound on how many messages each session holds waiting for an answer. Past it, messages are
 * dropped; the first drop of an overflow is reported, the rest are not, until the session has
 * caught up (its queue was empty again).
 */
export class QueueBound {
  private readonly noticed = new Set<string>();

  /** `waiting`: the session's messages queued or being answered now. */
  admit(sessionKey: string, waiting: number, max: number): QueueAdmission {
    if (waiting === 0) this.noticed.delete(sessionKey);
    // The message being answered is not waiting; `max` more may wait behind it.
    if (waiting <= max) return { admitted: true, firstDrop: false };
    const firstDrop = !this.noticed.has(sessionKey);
    this.noticed.add(sessionKey);
    return { admitted: false, firstDrop };
  }
}
