import type { Database } from 'better-sqlite3';
import type { IncidentSecretId } from '../../src-shared/domain/incident.js';

/** The rotation checklist's ticks, per incident, in SQLite so they survive reloads and restarts. */
export interface IncidentChecklist {
  /** When each ticked item of `incident` was ticked. */
  ticks(incident: number): Map<IncidentSecretId, number>;
  set(incident: number, item: IncidentSecretId, checked: boolean, at: number): void;
}

interface CheckRow {
  item: IncidentSecretId;
  checked_at: number;
}

/** The checklist over the shared database (migration 4). */
export function createIncidentChecklist(db: Database): IncidentChecklist {
  const select = db.prepare<[number], CheckRow>(
    'SELECT item, checked_at FROM incident_checks WHERE incident_at = ?',
  );
  // A second tick keeps the first time: the owner rotated it then, not when they clicked again.
  const tick = db.prepare(
    'INSERT INTO incident_checks (incident_at, item, checked_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
  );
  const untick = db.prepare('DELETE FROM incident_checks WHERE incident_at = ? AND item = ?');
  return {
    ticks: (incident) => new Map(select.all(incident).map((row) => [row.item, row.checked_at])),
    set(incident, item, checked, at) {
      if (checked) tick.run(incident, item, at);
      else untick.run(incident, item);
    },
  };
}
