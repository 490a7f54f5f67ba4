/**
 * Runs work one at a time per session and in parallel across sessions: a friend's second
 * message waits for the answer to the first, while another chat is not held up by it.
 */
export class SessionQueue {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly counts = new Map<string, number>();

  run(key: string, work: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    this.counts.set(key, this.waiting(key) + 1);
    const next = previous.then(work, work).finally(() => {
      const left = this.waiting(key) - 1;
      if (left > 0) this.counts.set(key, left);
      else this.counts.delete(key);
    });
    const tail = next.catch(() => undefined);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return next;
  }

  /** How many of a session's messages are queued or being worked on now. */
  waiting(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** Resolves when everything queued so far has finished. */
  async idle(): Promise<void> {
    await Promise.all([...this.tails.values()]);
  }
}
