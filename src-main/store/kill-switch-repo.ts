import type { Database } from 'better-sqlite3';
import {
  KillReportSchema,
  type KillHistoryEntry,
  type KillReport,
  type KillSource,
  type KillSwitchState,
  type SandboxSweep,
} from '../../src-shared/domain/kill-switch.js';
import { createApprovalsRepo } from './approvals-repo.js';

interface KillSwitchRow {
  engaged: number;
  reason: string | null;
  engaged_at: number | null;
  source: KillSource | null;
  last_report: string | null;
  sweep_state: SandboxSweep['state'] | null;
  sweep_checked_at: number | null;
  sweep_error: string | null;
  sweep_removed: number;
  sweep_stopped_at: number | null;
}

/** Reads and writes the persisted kill switch (a single row). */
export interface KillSwitchRepo {
  read(): KillSwitchState;
  /** Engages (or re-engages) the switch; returns the state as persisted. */
  engage(reason: string, source: KillSource, at: number): KillSwitchState;
  recordReport(report: KillReport): void;
  /**
   * Records where the sandbox removal stands — only for the engagement that started it (a
   * re-arm and a new kill meanwhile start their own). Returns whether it was recorded.
   */
  recordSweep(engagedAt: number, sweep: SandboxSweep): boolean;
  rearm(at: number): KillSwitchState;
  /** The last `limit` kills, newest first, each with its report and when it was re-armed. */
  history(limit: number): KillHistoryEntry[];
}

interface KillHistoryRow {
  engaged_at: number;
  reason: string | null;
  source: KillSource | null;
  report: string | null;
  rearmed_at: number | null;
}

/** The kill switch repository over the shared database. */
export function createKillSwitchRepo(db: Database): KillSwitchRepo {
  const select = db.prepare<[], KillSwitchRow>(
    `SELECT engaged, reason, engaged_at, source, last_report, sweep_state, sweep_checked_at,
       sweep_error, sweep_removed, sweep_stopped_at FROM kill_switch WHERE id = 1`,
  );
  // Until the first attempt says otherwise, anything may remain.
  const engageStmt = db.prepare(
    `UPDATE kill_switch SET engaged = 1, reason = ?, engaged_at = ?, source = ?, updated_at = ?,
       sweep_state = 'may-remain', sweep_checked_at = NULL, sweep_error = NULL, sweep_removed = 0,
       sweep_stopped_at = NULL
     WHERE id = 1`,
  );
  const sweepStmt = db.prepare(
    `UPDATE kill_switch SET sweep_state = ?, sweep_checked_at = ?, sweep_error = ?,
       sweep_removed = ?, sweep_stopped_at = ?, updated_at = ?
     WHERE id = 1 AND engaged_at = ?`,
  );
  const reportStmt = db.prepare(
    'UPDATE kill_switch SET last_report = ?, updated_at = ? WHERE id = 1',
  );
  const rearmStmt = db.prepare('UPDATE kill_switch SET engaged = 0, updated_at = ? WHERE id = 1');
  const historyEngage = db.prepare(
    `INSERT INTO kill_history (engaged_at, reason, source) VALUES (?, ?, ?)
     ON CONFLICT (engaged_at) DO UPDATE SET reason = excluded.reason, source = excluded.source`,
  );
  const historyReport = db.prepare(
    `INSERT INTO kill_history (engaged_at, reason, source, report) VALUES (?, ?, ?, ?)
     ON CONFLICT (engaged_at) DO UPDATE SET report = excluded.report`,
  );
  // Only the kill in force is re-armed: earlier ones already were (or were superseded).
  const historyRearm = db.prepare(
    `UPDATE kill_history SET rearmed_at = ?
     WHERE rearmed_at IS NULL AND engaged_at = (SELECT engaged_at FROM kill_switch WHERE id = 1)`,
  );
  const historySelect = db.prepare<[number], KillHistoryRow>(
    'SELECT * FROM kill_history ORDER BY engaged_at DESC LIMIT ?',
  );

  function read(): KillSwitchState {
    const row = select.get();
    if (!row) throw new Error('kill_switch row is missing; the database was not migrated');
    return {
      engaged: row.engaged === 1,
      reason: row.reason,
      engagedAt: row.engaged_at,
      source: row.source,
      lastReport: row.last_report ? KillReportSchema.parse(JSON.parse(row.last_report)) : null,
      sweep:
        row.sweep_state === null
          ? null
          : {
              state: row.sweep_state,
              checkedAt: row.sweep_checked_at,
              error: row.sweep_error,
              removedLater: row.sweep_removed,
              stoppedAt: row.sweep_stopped_at,
            },
    };
  }

  return {
    read,
    engage(reason, source, at) {
      // Engaging denies every command still waiting for the owner, in the same transaction: a
      // re-arm must never find one it could still let through.
      db.transaction(() => {
        engageStmt.run(reason, at, source, at);
        historyEngage.run(at, reason, source);
        // Only denied here, not shown: whoever shows them warns of a malformed record.
        createApprovalsRepo(db, { warn: () => undefined }).denyAllPending({
          outcome: 'kill-switch',
          by: 'kill switch',
          via: 'system',
          at,
        });
      })();
      return read();
    },
    recordReport(report) {
      const json = JSON.stringify(report);
      db.transaction(() => {
        reportStmt.run(json, Date.now());
        historyReport.run(report.engagedAt, report.reason, report.source, json);
      })();
    },
    recordSweep(engagedAt, sweep) {
      const result = sweepStmt.run(
        sweep.state,
        sweep.checkedAt,
        sweep.error,
        sweep.removedLater,
        sweep.stoppedAt,
        Date.now(),
        engagedAt,
      );
      return result.changes > 0;
    },
    rearm(at) {
      db.transaction(() => {
        historyRearm.run(at);
        rearmStmt.run(at);
      })();
      return read();
    },
    history(limit) {
      return historySelect.all(limit).map((row) => ({
        engagedAt: row.engaged_at,
        reason: row.reason,
        source: row.source,
        report: row.report ? KillReportSchema.parse(JSON.parse(row.report)) : null,
        rearmedAt: row.rearmed_at,
      }));
    },
  };
}
