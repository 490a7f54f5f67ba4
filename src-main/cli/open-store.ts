import type { Database } from 'better-sqlite3';
import { createKillSwitchRepo, type KillSwitchRepo } from '../store/kill-switch-repo.js';
import { openDatabase } from '../store/open-database.js';
import { createRuntimeRepo, type RuntimeRepo } from '../store/runtime-repo.js';
import type { CliContext } from './cli-context.js';

/** The repositories a CLI command works with, over the shared database. */
export interface CliStore {
  stateDir: string;
  db: Database;
  killSwitch: KillSwitchRepo;
  runtime: RuntimeRepo;
}

/** Opens the state directory's database for one CLI command; the caller closes `db`. */
export function openCliStore({ stateDir }: CliContext): CliStore {
  const db = openDatabase(stateDir);
  return { stateDir, db, killSwitch: createKillSwitchRepo(db), runtime: createRuntimeRepo(db) };
}

/** Runs `fn` with the store open, closing it afterwards whatever happens. */
export async function withCliStore<T>(
  context: CliContext,
  fn: (store: CliStore) => T | Promise<T>,
): Promise<T> {
  const store = openCliStore(context);
  try {
    return await fn(store);
  } finally {
    store.db.close();
  }
}
