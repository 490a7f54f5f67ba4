import { describe, expect, it } from 'vitest';
import type { KillReport } from '../../src-shared/domain/kill-switch.js';
import { createKillSwitchRepo } from '../../src-main/store/kill-switch-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

function reportFor(engagedAt: number, reason: string): KillReport {
  return {
    engagedAt,
    reason,
    source: 'ui',
    gateway: { found: true, pid: 4242, pids: [4242], killedPids: [4242, 4243], error: null },
    sandboxes: {
      reach: 'installation',
      endpoint: null,
      dockerReachable: true,
      error: null,
      containers: [],
      stoppedMs: 3,
      removedMs: 5,
    },
    otherEngines: [],
    persistError: null,
    stoppedMs: 3,
    removedMs: 5,
    durationMs: 12,
  };
}

/**
 * Kill history over a real SQLite file: every kill stays listed with its report after re-arming
 * and after the next kill (the kill switch row keeps only the latest), and across a reopen.
 */
describe('kill history', () => {
  const tempState = useTempStateDirs();

  it('keeps every kill with its report and when it was re-armed, newest first', () => {
    const stateDir = tempState();
    let db = openDatabase(stateDir);
    let repo = createKillSwitchRepo(db);
    repo.engage('it answered a stranger', 'ui', 1_000);
    repo.recordReport(reportFor(1_000, 'it answered a stranger'));
    repo.rearm(2_000);
    repo.engage('drill', 'cli', 3_000);
    repo.recordReport(reportFor(3_000, 'drill'));
    db.close();

    db = openDatabase(stateDir);
    repo = createKillSwitchRepo(db);
    const history = repo.history(50);
    expect(history.map((k) => [k.engagedAt, k.reason, k.source, k.rearmedAt])).toEqual([
      [3_000, 'drill', 'cli', null],
      [1_000, 'it answered a stranger', 'ui', 2_000],
    ]);
    expect(history[1]?.report?.gateway.killedPids).toEqual([4242, 4243]);
    expect(history[0]?.report?.durationMs).toBe(12);
    // The latest kill is still the kill switch's own last report.
    expect(repo.read().lastReport?.engagedAt).toBe(3_000);
    db.close();
  });

  it('lists a kill whose report never came (the process died mid-kill) without one', () => {
    const db = openDatabase(tempState());
    const repo = createKillSwitchRepo(db);
    repo.engage('crash mid-kill', 'tray', 5_000);
    expect(repo.history(10)).toEqual([
      { engagedAt: 5_000, reason: 'crash mid-kill', source: 'tray', report: null, rearmedAt: null },
    ]);
    expect(repo.history(0)).toEqual([]);
    db.close();
  });
});
