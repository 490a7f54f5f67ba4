import type { Database } from 'better-sqlite3';
import { migrations } from '../store/migrations.js';
import { openDatabase, openExistingDatabase } from '../store/open-database.js';
import { createSessionsRepo, type SessionsRepo } from '../store/sessions-repo.js';
import type { CliContext } from './cli-context.js';

/** What the `sessions` commands read. */
export interface SessionsStore {
  db: Database;
  sessions: SessionsRepo;
}

/**
 * A read-only connection when the database exists and is already migrated: the `sessions`
 * commands only read, and openDatabase's migration check takes the write lock (briefly, but a
 * busy gateway would have to wait for it). In WAL mode readers never block the writer. A
 * missing or older database goes through openDatabase, which creates or migrates it.
 */
function openForReading(stateDir: string): Database {
  const db = openExistingDatabase(stateDir);
  if (db) {
    try {
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
  context: CliContext,
  fn: (store: SessionsStore) => T | Promise<T>,
): Promise<T> {
  const db = openForReading(context.stateDir);
  try {
    return await fn({ db, sessions: createSessionsRepo(db) });
  } finally {
    db.close();
  }
}
