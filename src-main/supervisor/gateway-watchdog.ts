import { killProcessTree } from '../process/process-tree.js';
import type { TimerHandle, Timers } from '../process/timers.js';

/**
 * The gateway manager's watchdog: armed with a deadline (the first `ready`, the next heartbeat),
 * it kills the child's process tree when the deadline passes, and keeps why for the crash
 * message.
 */
export class GatewayWatchdog {
  private timer: TimerHandle | null = null;
  /** Why the watchdog killed the child, if it did; cleared at each spawn. */
  failure: string | null = null;

  constructor(
    private readonly timers: Timers,
    /** The pid of the manager's child, if one is alive. */
    private readonly childPid: () => number | undefined,
  ) {}

  arm(ms: number, failure: string): void {
    this.clear();
    this.timer = this.timers.setTimeout(() => {
      const pid = this.childPid();
      if (pid === undefined) return;
      this.failure = `gateway ${failure}`;
      // A hung gateway will not honour a shutdown message: kill its whole tree.
      killProcessTree(pid);
    }, ms);
  }

  clear(): void {
    if (this.timer) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }
}
