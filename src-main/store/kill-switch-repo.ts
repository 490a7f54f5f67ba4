import type { Database } from 'better-sqlite3';
import {
  KillReportSchema,
  type KillReport,
  type KillSource,
  type KillSwitchState,
} from '../../src-shared/domain/kill-switch.js';

interface KillSwitchRow {
  engaged: number;
  reason: string | null;
  engaged_at: number | null;
  source: KillSource | null;
  last_report: string | null;
}

/** Reads and writes the persisted kill switch (a single row). */
export interface KillSwitchRepo {
  read(): KillSwitchState;
  /** Engages (or re-engages) the switch; returns the state as persisted. */
  engage(reason: string, source: KillSource, at: number): KillSwitchState;
  recordReport(report: KillReport): void;
  rearm(at: number): KillSwitchState;
}

/** The kill switch repository over the shared database. */
export function createKillSwitchRepo(db: Database): KillSwitchRepo {
  const select = db.prepare<[], KillSwitchRow>(
    'SELECT engaged, reason, engaged_at, source, last_report FROM kill_switch WHERE id = 1',
  );
  const engageStmt = db.prepare(
    `UPDATE kill_switch SET engaged = 1, reason = ?, engaged_at = ?, source = ?, updated_at = ?
     WHERE id = 1`,
  );
  const reportStmt = db.prepare(
    'UPDATE kill_switch SET last_report = ?, updated_at = ? WHERE id = 1',
  );
  const rearmStmt = db.prepare('UPDATE kill_switch SET engaged = 0, updated_at = ? WHERE id = 1');

  function read(): KillSwitchState {
    const row = select.get();
    if (!row) throw new Error('kill_switch row is missing; the database was not migrated');
    return {
      engaged: row.engaged === 1,
      reason: row.reason,
      engagedAt: row.engaged_at,
      source: row.source,
      lastReport: row.last_report ? KillReportSchema.parse(JSON.parse(row.last_report)) : null,
    };
  }

  return {
    read,
    engage(reason, source, at) {
      engageStmt.run(reason, at, source, at);
      return read();
    },
    recordReport(report) {
      reportStmt.run(JSON.stringify(report), Date.now());
    },
    rearm(at) {
      rearmStmt.run(at);
      return read();
    },
  };
}
