import BetterSqlite3, { type Database } from 'better-sqlite3';
import { chmodSync, existsSync } from 'node:fs';
import { databasePath, ensureStateDir, stateDirError } from '../state-layout.js';
import { runMigrations } from './migrations.js';

/**
 * better-sqlite3 is native: Node (tests, CLI, headless) and Electron need different builds.
 * The desktop app builds an Electron copy outside node_modules and names it here, so neither
 * runtime ever overwrites the other's binary.
 */
function nativeBinding(): string | undefined {
  const path = process.env['CLAWDBOT_SQLITE_BINDING'];
  return path && existsSync(path) ? path : undefined;
}

/**
 * Opens (creating if needed) the shared SQLite database in WAL mode with a busy timeout, so the
 * supervisor, the gateway and the CLI can all use it at once, then migrates it.
 */
export function openDatabase(stateDir: string): Database {
  ensureStateDir(stateDir);
  const file = databasePath(stateDir);
  const binding = nativeBinding();
  let db: Database | null = null;
  try {
    db = new BetterSqlite3(file, binding ? { nativeBinding: binding } : {});
    db.pragma('busy_timeout = 5000');
    // The first write: a database file (or directory) this user may not write fails here.
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    restrictToOwner(file);
    runMigrations(db);
    return db;
  } catch (error) {
    db?.close();
    throw stateDirError(stateDir, error) ?? error;
  }
}

/**
 * Opens the state directory's database only if it exists, as it is: nothing is created,
 * migrated or chmodded (the audit must see the state as it is; a reader must not take the
 * migration's write lock). Read-only unless `writable`; null when there is no database yet.
 */
export function openExistingDatabase(
  stateDir: string,
  options: { writable?: boolean } = {},
): Database | null {
  const file = databasePath(stateDir);
  if (!existsSync(file)) return null;
  const binding = nativeBinding();
  const db = new BetterSqlite3(file, {
    readonly: options.writable !== true,
    fileMustExist: true,
    ...(binding ? { nativeBinding: binding } : {}),
  });
  db.pragma('busy_timeout = 5000');
  return db;
}

/** The database, its WAL and shared-memory files hold transcripts: owner-only (0600). */
function restrictToOwner(file: string): void {
  if (process.platform === 'win32') return;
  for (const path of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(path)) chmodSync(path, 0o600);
  }
}
