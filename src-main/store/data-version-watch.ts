import type { Database } from 'better-sqlite3';
import { databaseChanges } from './database-changes.js';

/**
 * Calls `onChange` when another connection (the CLI, the gateway, the supervisor) commits to the
 * database, until the returned function is called. A listener on the connection's one
 * {@link databaseChanges} watcher, so however many parts of a process watch, it polls once.
 */
export function watchDataVersion(
  db: Database,
  intervalMs: number,
  onChange: () => void,
): () => void {
  const subscription = new AbortController();
  databaseChanges(db).on('others', onChange, { signal: subscription.signal, intervalMs });
  return () => subscription.abort();
}
