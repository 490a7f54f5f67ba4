import type { Database } from 'better-sqlite3';
import { describeError } from '../../src-shared/errors/describe-error.js';
import type { Logger } from '../logging/logger.js';
import { databaseChanges, type ChangeScope } from '../store/database-changes.js';
import type { AccessAdmin } from './access-admin.js';
import type { ApprovalsAdmin } from './approvals-admin.js';
import type { KillSwitchControl } from './kill-switch-control.js';
import type { SessionsAdmin } from './sessions-admin.js';
import type { UsageAdmin } from './usage-admin.js';

/** How the watch runs. */
export interface DatabaseWatchOptions {
  /** Ends the watch. */
  signal: AbortSignal;
  intervalMs: number;
  /** Where a failed reaction is logged. */
  log: Logger;
}

/** The supervisor's parts that act on database commits. */
export interface DatabaseWatchers {
  killSwitch: Pick<KillSwitchControl, 'onOthersChanged'>;
  access: Pick<AccessAdmin, 'publish'>;
  sessions: Pick<SessionsAdmin, 'pushNew'>;
  usage: Pick<UsageAdmin, 'publish'>;
  approvals: Pick<ApprovalsAdmin, 'publish'>;
}

/**
 * One watch of the database, fanned out. The CLI changes the database directly (it must work
 * when this process is hung), so others' commits are acted on: a kill switch pulled elsewhere,
 * a pairing approved elsewhere. Transcripts, requests and usage are published on any commit,
 * this process's own included (an allowlist removal writes to a transcript here), so no
 * handler has to remember to push them.
 */
export function watchDatabase(
  db: Database,
  { signal, intervalMs, log }: DatabaseWatchOptions,
  watchers: DatabaseWatchers,
): void {
  const changes = databaseChanges(db);
  const on = (scope: ChangeScope, what: string, listener: () => void): void =>
    changes.on(scope, listener, {
      signal,
      intervalMs,
      // Isolated: a failed read must not keep the next part (or the kill switch) from running.
      onError: (error) => log.error(`${what} failed`, { error: describeError(error) }),
    });
  on('others', "reacting to another process's kill switch", () =>
    watchers.killSwitch.onOthersChanged(),
  );
  on('any', 'publishing pairing requests and allowlists', () => watchers.access.publish());
  on('any', 'publishing new transcript events', () => watchers.sessions.pushNew());
  on('any', "publishing today's usage", () => watchers.usage.publish());
  on('any', 'publishing approval requests', () => watchers.approvals.publish());
}
