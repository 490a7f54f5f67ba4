import { decideApproval } from '../../src-main/approvals/decide-approval.js';
import { resolveConfigPath } from '../../src-main/state-layout.js';
import { silentLogger } from '../../src-main/logging/logger.js';
import { createApprovalsRepo } from '../../src-main/store/approvals-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';

/**
 * An owner who allows (once) every command that asks, as `clawdbot approvals allow` would, for
 * tests about something else than approvals that run host or elevated commands. Returns the
 * stop, and the ids it allowed (so a test can check the turn did ask).
 */
export function approveEverything(stateDir: string): { stop: () => void; allowed: string[] } {
  const db = openDatabase(stateDir);
  const repo = createApprovalsRepo(db, silentLogger);
  const allowed: string[] = [];
  const timer = setInterval(() => {
    for (const request of repo.pending()) {
      const result = decideApproval(request.id, 'once', {
        repo,
        configPath: resolveConfigPath(stateDir, {}),
        by: 'test owner',
        via: 'cli',
        now: Date.now(),
      });
      if (result.ok) allowed.push(request.id);
    }
  }, 20);
  return {
    allowed,
    stop: () => {
      clearInterval(timer);
      db.close();
    },
  };
}
