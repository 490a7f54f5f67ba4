import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/domain/app-error.js';
import { isSameProcess, processIdentity } from '../process/process-identity.js';
import { openDatabase } from '../store/open-database.js';
import { createRuntimeRepo, type RuntimeRepo } from '../store/runtime-repo.js';

/**
 * Opens the state directory's database for a supervisor to claim: only one supervisor may own a
 * gateway, so a second one is refused while the first is alive.
 */
export function openUnclaimedStateDir(stateDir: string): { db: Database; runtime: RuntimeRepo } {
  const db = openDatabase(stateDir);
  const runtime = createRuntimeRepo(db);
  const other = runtime.readSupervisor();
  if (other && other.pid !== process.pid && isSameProcess(other.pid, other.identity)) {
    db.close();
    throw new AppError(
      'CONFLICT',
      `another supervisor is already running (pid ${other.pid}): \`clawdbot status\` shows it, \`clawdbot web-url\` prints its web UI address (the desktop app has its window and tray); stop it first to start another`,
    );
  }
  return { db, runtime };
}

/** Records this process as the state directory's supervisor, and where the CLI can reach it. */
export function recordSupervisor(runtime: RuntimeRepo, socketPath: string | null): void {
  runtime.writeSupervisor({
    pid: process.pid,
    identity: processIdentity(process.pid),
    socketPath,
  });
}
