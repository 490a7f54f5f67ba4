import { touchLastUsed } from './workspace.js';

/** The last-use stamp on disk is refreshed at most this often (memory holds the exact time). */
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

/**
 * What the manager knows about its containers' use: how many tool calls are running in each
 * right now (a busy container is never pruned, and a leftover check must not restart it under
 * another call), and when each was last used. Last use is exact in memory and written beside
 * the workspaces at most once a minute, so pruning after a gateway restart still knows which
 * containers were idle without a disk write on every call.
 */
export class SandboxActivity {
  private readonly busy = new Map<string, number>();
  private readonly lastUsed = new Map<string, number>();
  private readonly lastUsedWritten = new Map<string, number>();

  constructor(private readonly now: () => number) {}

  /** Counts a tool call starting (+1) or ending (-1) in the container `name`. */
  markBusy(name: string, delta: 1 | -1): void {
    const count = (this.busy.get(name) ?? 0) + delta;
    if (count > 0) this.busy.set(name, count);
    else this.busy.delete(name);
  }

  /** How many tool calls are running in the container `name` right now. */
  busyCount(name: string): number {
    return this.busy.get(name) ?? 0;
  }

  /** When this manager last used the container `name` (0: not since it started). */
  lastUsedAt(name: string): number {
    return this.lastUsed.get(name) ?? 0;
  }

  /** Records a use of the container `name`, whose workspace is `workspaceDir`. */
  recordUse(name: string, workspaceDir: string): void {
    const now = this.now();
    this.lastUsed.set(name, now);
    if (now - (this.lastUsedWritten.get(name) ?? 0) < LAST_USED_WRITE_INTERVAL_MS) return;
    this.lastUsedWritten.set(name, now);
    try {
      touchLastUsed(workspaceDir, now);
    } catch {
      // Only pruning reads it, and memory holds the exact time meanwhile.
    }
  }
}
