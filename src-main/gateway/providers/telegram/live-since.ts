import { performance } from 'node:perf_hooks';

/** The clocks `LiveSince` reads; tests replace them. */
export interface LiveSinceClocks {
  /** Wall-clock ms since the epoch (`Date.now`): the host's idea of the time, maybe skewed. */
  wall(): number;
  /** A monotonic ms counter (`performance.now`): only differences mean anything. */
  monotonic(): number;
}

const SYSTEM_CLOCKS: LiveSinceClocks = {
  wall: () => Date.now(),
  monotonic: () => performance.now(),
};

/**
 * Since when (epoch ms, on Telegram's clock as far as we can tell) updates are live rather than
 * history. It moves forward on every connect and on every recovery from a polling outage: what
 * Telegram kept for us while we could not poll is catch-up, and is never answered. (The 30 s
 * slack is applied where messages are judged, in `messageToEnvelope`.)
 *
 * Which clock. A message's `date` is on Telegram's clock, and the Bot API offers no other reading
 * of it. The host's clock alone would do if it were right, but on a host running behind Telegram
 * by more than the slack the last minutes of an outage would pass as live. So the host's time is
 * raised to a lower bound of Telegram's: the freshest date seen so far plus the time passed since
 * it was seen, on the monotonic clock (which NTP steps do not move). A date is never later than
 * Telegram's time when it arrives (messages are dated when sent, rounded down to the second), and
 * the monotonic clock never counts more than the time passed (it may stand still while the machine
 * sleeps), so the bound never passes Telegram's real time: it only marks as history what really
 * was sent before the (re)connect, minus the slack. The bound alone will not do: after a quiet
 * spell it lags by however long the freshest message had waited, and before the first update it
 * knows nothing; hence the host's time as the floor. Comparing with the newest date seen before
 * the outage would not do either: everything queued during the outage is newer than that.
 * What is left: a host clock ahead of Telegram's by more than the slack turns messages sent just
 * after a (re)connect into history — silence, the safer mistake, and the same as at first connect.
 */
export class LiveSince {
  private since = Number.NEGATIVE_INFINITY;
  /** The largest `date − monotonic()` seen: Telegram's time ≥ monotonic() + this. */
  private serverMinusMonotonic = Number.NEGATIVE_INFINITY;

  constructor(private readonly clocks: LiveSinceClocks = SYSTEM_CLOCKS) {}

  /** The cutoff in epoch ms (−∞ before the first connect). */
  get value(): number {
    return this.since;
  }

  /** An update dated `dateMs` (Telegram's clock) has just arrived. */
  observe(dateMs: number): void {
    const offset = dateMs - this.clocks.monotonic();
    if (offset > this.serverMinusMonotonic) this.serverMinusMonotonic = offset;
  }

  /**
   * Connected, or polling works again after failing: only updates from now on are live. Never
   * moves back, so a host clock stepped backwards does not turn answered history live again.
   */
  connected(): void {
    const serverAtLeast = this.clocks.monotonic() + this.serverMinusMonotonic;
    this.since = Math.max(this.since, this.clocks.wall(), serverAtLeast);
  }
}
