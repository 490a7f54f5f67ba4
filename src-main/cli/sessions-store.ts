import BetterSqlite3, { type Database } from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { migrations } from '../store/migrations.js';
import { openDatabase } from '../store/open-database.js';
import { createSessionsRepo, type SessionsRepo } from '../store/sessions-repo.js';
import { databasePath, resolveStateDir } from '../state-layout.js';

/** What the `sessions` commands read. */
export interface SessionsStore {
  db: Database;
  sessions: SessionsRepo;
}

/** Same override as openDatabase: the Electron build of the native module, when named. */
function nativeBinding(): string | undefined {
  const path = process.env['CLAWDBOT_SQLITE_BINDING'];
  return path && existsSync(path) ? path : undefined;
}

/**
 * A read-only connection when the database exists and is already migrated: the `sessions`
 * commands only read, and openDatabase's migration check takes the write lock (briefly, but a
 * busy gateway would have to wait for it). In WAL mode readers never block the writer. A
 * missing or older database goes through openDatabase, which creates or migrates it.
 */
function openForReading(stateDir: string): Database {
  const file = databasePath(stateDir);
  if (existsSync(file)) {
    const binding = nativeBinding();
    const db = new BetterSqlite3(file, {
      readonly: true,
      ...(binding ? { nativeBinding: binding } : {}),
    });
    try {
      db.pragma('busy_timeout = 5000');
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version === migrations.at(-1)?.version) return db;
    } catch {
      // Unreadable read-only (e.g. not yet in WAL mode and locked): let openDatabase decide.
    }
    db.close();
  }
  return openDatabase(stateDir);
}

/** Runs `fn` over the sessions repository, closing the database afterwards whatever happens. */
export async function withSessionsStore<T>(
  fn: (store: SessionsStore) => T | Promise<T>,
): Promise<T> {
  const db = openForReading(resolveStateDir());
  try {
    return await fn({ db, sessions: createSessionsRepo(db) });
  } finally {
    db.close();
  }
}
