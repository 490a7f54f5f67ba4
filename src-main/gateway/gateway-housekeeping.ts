import type { Database } from 'better-sqlite3';
import type { Logger } from '../logging/logger.js';
import { watchDataVersion } from '../store/data-version-watch.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

// Finished inbox and outbox rows are kept this long: long enough to recognise any message a
// platform hands out again (Telegram keeps unconfirmed updates for 24 hours).
const JOURNAL_KEEP_MS = 7 * 24 * 60 * 60 * 1000;
const JOURNAL_PRUNE_EVERY_MS = 60 * 60 * 1000;

/** What the gateway's housekeeping needs. */
export interface HousekeepingOptions {
  db: Database;
  /** How often to look for commits other processes made. */
  watchIntervalMs: number;
  /** Another process committed (an approval, a notice queued by the CLI or the supervisor). */
  onDatabaseChange: () => void;
  /** The tables that keep finished rows: the inbox and the outbox. */
  journals: readonly { prune(before: number): number }[];
  log: Logger;
  now: () => number;
}

/**
 * Starts the gateway's background upkeep: noticing what other processes commit, and pruning
 * finished inbox and outbox rows now and every hour. Returns the stop.
 */
export function startHousekeeping(options: HousekeepingOptions): () => void {
  const stopWatching = watchDataVersion(
    options.db,
    options.watchIntervalMs,
    options.onDatabaseChange,
  );
  const prune = (): void => {
    const before = options.now() - JOURNAL_KEEP_MS;
    try {
      for (const journal of options.journals) journal.prune(before);
    } catch (error) {
      options.log.warn('could not prune the inbox and outbox', { error: describeError(error) });
    }
  };
  prune();
  const timer = setInterval(prune, JOURNAL_PRUNE_EVERY_MS);
  timer.unref();
  return () => {
    stopWatching();
    clearInterval(timer);
  };
}
