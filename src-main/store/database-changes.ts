import type { Database } from 'better-sqlite3';

/** How often others' commits are looked for, unless a listener asks for sooner. */
export const DEFAULT_WATCH_INTERVAL_MS = 250;

/** Which commits a listener hears of. */
export type ChangeScope =
  /** Only other connections' (the CLI, the gateway, the supervisor): what this process did not do. */
  | 'others'
  /** Others' and this connection's own writes through the repositories. */
  | 'any';

/** How a listener is registered. */
export interface ChangeListenerOptions {
  /** Ends the subscription; the poll stops when the last one ends. */
  signal: AbortSignal;
  /** Look for others' commits at least this often (the poll runs at the quickest asked for). */
  intervalMs?: number;
  /**
   * Where the listener's own failure goes. A listener runs from a timer, where a throw would
   * take the whole process down, so each one is isolated; without this, the error is rethrown
   * outside the poll (as an uncaught exception, as it always was).
   */
  onError?: (error: unknown) => void;
  /**
   * Keep the process alive while this listens (a CLI follow that has nothing else to wait on);
   * by default watching never does.
   */
  keepAlive?: boolean;
}

interface Registration {
  listener: () => void;
  scope: ChangeScope;
  intervalMs: number;
  onError: ((error: unknown) => void) | undefined;
  keepAlive: boolean;
}

/**
 * One connection's view of commits to the shared database. SQLite's `data_version` moves only
 * for other connections' commits, so one cheap pragma per tick finds what the CLI or another
 * process wrote; this connection's own writes never move it, so the repositories announce them
 * ({@link noteLocalWrite}) and they reach `any` listeners on the next microtask, after the
 * write's transaction has ended. Every part of a process that reacts to changes listens here:
 * one poll per connection (and so per process), whatever the number of readers.
 */
export class DatabaseChanges {
  private readonly registrations = new Set<Registration>();
  private lastVersion: number;
  private timer: NodeJS.Timeout | null = null;
  private timerMs = 0;
  private timerKeepsAlive = false;
  private localPending = false;

  /** Use {@link databaseChanges}: one per connection. */
  constructor(private readonly db: Database) {
    // The baseline is taken now, so a reader that creates this before its first read sees a
    // commit that lands between the two on the first tick, never missing it.
    this.lastVersion = dataVersionOf(db);
  }

  /** Calls `listener` after each commit in `scope` until `options.signal` aborts. */
  on(scope: ChangeScope, listener: () => void, options: ChangeListenerOptions): void {
    if (options.signal.aborted) return;
    const registration: Registration = {
      listener,
      scope,
      intervalMs: options.intervalMs ?? DEFAULT_WATCH_INTERVAL_MS,
      onError: options.onError,
      keepAlive: options.keepAlive ?? false,
    };
    this.registrations.add(registration);
    options.signal.addEventListener(
      'abort',
      () => {
        this.registrations.delete(registration);
        this.schedule();
      },
      { once: true },
    );
    this.schedule();
  }

  /**
   * Looks for others' commits now, instead of at the next tick: a peer said it wrote (the
   * gateway's "sessions changed" notice), so live views need not wait for the poll.
   */
  check(): void {
    if (!this.db.open) return;
    const version = dataVersionOf(this.db);
    if (version === this.lastVersion) return;
    this.lastVersion = version;
    this.fanOut('others');
  }

  /** This connection committed through a repository: `any` listeners hear of it. */
  noteLocalWrite(): void {
    if (this.localPending) return;
    this.localPending = true;
    // Deferred: the write may be inside a transaction that has yet to commit (or roll back).
    queueMicrotask(() => {
      this.localPending = false;
      if (this.db.open) this.fanOut('local');
    });
  }

  private fanOut(origin: 'others' | 'local'): void {
    for (const registration of [...this.registrations]) {
      if (origin === 'local' && registration.scope === 'others') continue;
      if (!this.registrations.has(registration)) continue;
      try {
        registration.listener();
      } catch (error) {
        if (registration.onError) registration.onError(error);
        else
          queueMicrotask(() => {
            throw error;
          });
      }
    }
  }

  /** Runs the poll at the quickest interval asked for, and not at all without listeners. */
  private schedule(): void {
    const registrations = [...this.registrations];
    const wanted = Math.min(...registrations.map((r) => r.intervalMs));
    const keepAlive = registrations.some((r) => r.keepAlive);
    if (this.timer && wanted === this.timerMs && keepAlive === this.timerKeepsAlive) return;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (!Number.isFinite(wanted)) return;
    this.timerMs = wanted;
    this.timerKeepsAlive = keepAlive;
    this.timer = setInterval(() => this.check(), wanted);
    // Watching never keeps a process alive that has nothing else to do, unless asked to.
    if (!keepAlive) this.timer.unref();
  }
}

const byConnection = new WeakMap<Database, DatabaseChanges>();

/** The one change watcher of a connection (created on first use). */
export function databaseChanges(db: Database): DatabaseChanges {
  let changes = byConnection.get(db);
  if (!changes) {
    changes = new DatabaseChanges(db);
    byConnection.set(db, changes);
  }
  return changes;
}

/**
 * Called by the repositories after they write: tells this connection's listeners, if it has
 * any (a connection nobody watches pays one map lookup).
 */
export function noteLocalWrite(db: Database): void {
  byConnection.get(db)?.noteLocalWrite();
}

/** SQLite's counter of commits by other connections. */
export function dataVersionOf(db: Database): number {
  return db.pragma('data_version', { simple: true }) as number;
}
