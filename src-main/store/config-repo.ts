import type { Database } from 'better-sqlite3';
import { openExistingDatabase } from './open-database.js';

/** The last config file content that passed validation, as saved. */
export interface LastGoodConfig {
  /** The file's content as parsed (before defaults), to validate again on use. */
  raw: unknown;
  savedAt: number;
}

/**
 * Where the last good config is kept, per config path, so a process that starts while the file
 * is broken (half-written, a bad edit) runs on it instead of on defaults.
 */
export interface LastGoodConfigStore {
  read(path: string): LastGoodConfig | null;
  /**
   * Saves `raw` unless it is what is saved already; returns when the saved content was first
   * saved, or null when there is nowhere to keep it.
   */
  save(path: string, raw: unknown, at: number): number | null;
}

/** The last good config store over the shared database. */
export function createLastGoodConfigRepo(db: Database): LastGoodConfigStore {
  const select = db.prepare<[string], { config: string; saved_at: number }>(
    'SELECT config, saved_at FROM config_last_good WHERE path = ?',
  );
  const upsert = db.prepare(
    `INSERT INTO config_last_good (path, config, saved_at) VALUES (?, ?, ?)
     ON CONFLICT (path) DO UPDATE SET config = excluded.config, saved_at = excluded.saved_at`,
  );
  return {
    read(path) {
      const row = select.get(path);
      if (!row) return null;
      try {
        return { raw: JSON.parse(row.config) as unknown, savedAt: row.saved_at };
      } catch {
        // A damaged row is no last good config: the service falls back to the defaults and
        // says the file was rejected; the next valid file overwrites the row.
        return null;
      }
    },
    save(path, raw, at) {
      const text = JSON.stringify(raw);
      const row = select.get(path);
      // The same content keeps its date: "running on the last good config from T" means the
      // moment that content was first seen valid, not the last restart.
      if (row?.config === text) return row.saved_at;
      upsert.run(path, text, at);
      return at;
    },
  };
}

/**
 * The last good config store of a state directory for a short-lived process (the CLI): each read
 * and save opens the database only if it exists, so reading the config never creates the state
 * directory, and a command that never opens the database holds no connection for it.
 */
export function lastGoodConfigOfStateDir(stateDir: string): LastGoodConfigStore {
  const withRepo = <T>(writable: boolean, use: (repo: LastGoodConfigStore) => T): T | null => {
    const db = openExistingDatabase(stateDir, { writable });
    if (!db) return null;
    try {
      return use(createLastGoodConfigRepo(db));
    } finally {
      db.close();
    }
  };
  return {
    read: (path) => withRepo(false, (repo) => repo.read(path)),
    save: (path, raw, at) => withRepo(true, (repo) => repo.save(path, raw, at)),
  };
}
