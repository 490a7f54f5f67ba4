import type { Database } from 'better-sqlite3';
import type { AccessActor } from '../../src-shared/domain/access.js';

/** Things that change who can reach the bot; each is recorded once, when it happens. */
export type AccessAuditAction =
  | 'pairing-requested'
  | 'pairing-approved'
  | 'pairing-rejected'
  | 'pairing-expired'
  | 'allowlist-added'
  | 'allowlist-removed'
  | 'legacy-imported';

/** One audit record. */
export interface AccessAuditRecord {
  id: number;
  at: number;
  provider: string;
  action: AccessAuditAction;
  subjectId: string;
  actor: AccessActor;
  detail: Record<string, unknown>;
}

/** The access audit trail: append-only. */
export interface AccessAuditRepo {
  record(entry: Omit<AccessAuditRecord, 'id'>): void;
  recent(limit?: number): AccessAuditRecord[];
}

interface Row {
  id: number;
  at: number;
  provider: string;
  action: AccessAuditAction;
  subject_id: string;
  actor: AccessActor;
  detail: string;
}

/** The audit repository over the shared database. */
export function createAccessAuditRepo(db: Database): AccessAuditRepo {
  const insert = db.prepare(
    'INSERT INTO access_audit (at, provider, action, subject_id, actor, detail) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const select = db.prepare<[number], Row>('SELECT * FROM access_audit ORDER BY id DESC LIMIT ?');
  return {
    record(e) {
      insert.run(e.at, e.provider, e.action, e.subjectId, e.actor, JSON.stringify(e.detail));
    },
    recent: (limit = 100) =>
      select.all(limit).map((r) => ({
        id: r.id,
        at: r.at,
        provider: r.provider,
        action: r.action,
        subjectId: r.subject_id,
        actor: r.actor,
        detail: JSON.parse(r.detail) as Record<string, unknown>,
      })),
  };
}
