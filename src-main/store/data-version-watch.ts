import type { Database } from 'better-sqlite3';

/**
 * Calls `onChange` when another connection (the CLI, the gateway, the supervisor) commits to the
 * database. SQLite's `data_version` moves only for other connections' commits, so polling it is
 * one cheap pragma per tick and never fires for our own writes.
 */
export function watchDataVersion(
  db: Database,
  intervalMs: number,
  onChange: () => void,
): () => void {
  let last = db.pragma('data_version', { simple: true }) as number;
  const timer = setInterval(() => {
    if (!db.open) return;
    const version = db.pragma('data_version', { simple: true }) as number;
    if (version === last) return;
    last = version;
    onChange();
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
