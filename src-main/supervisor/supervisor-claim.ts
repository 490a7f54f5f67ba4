import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/domain/app-error.js';
import { isSameProcess } from '../process/process-identity.js';
import { openDatabase } from '../store/open-database.js';
import { createRuntimeRepo } from '../store/runtime-repo.js';

/**
 * Opens the state directory's database for a supervisor to claim: only one supervisor may own a
 * gateway, so a second one is refused while the first is alive.
 */
export function openUnclaimedStateDir(stateDir: string): Database {
  const db = openDatabase(stateDir);
  const other = createRuntimeRepo(db).readSupervisor();
  if (other && other.pid !== process.pid && isSameProcess(other.pid, other.identity)) {
    db.close();
    throw new AppError(
      'CONFLICT',
      `another supervisor is already running (pid ${other.pid}): \`clawdbot status\` shows it, \`clawdbot web-url\` prints its web UI address (the desktop app has its window and tray); stop it first to start another`,
    );
  }
  return db;
}
