import type { Database } from 'better-sqlite3';
import type { AccessActor, AllowlistEntry, AllowlistKind } from '../../src-shared/domain/access.js';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';

interface Row {
  provider: MessagingProvider;
  kind: AllowlistKind;
  entry_id: string;
  display_name: string | null;
  approved_at: number;
  approved_by: string;
}

/** Approved allowlist entries (the config file's entries are merged in elsewhere). */
export interface AllowlistRepo {
  list(provider?: MessagingProvider): AllowlistEntry[];
  /** Adds or refreshes an entry; returns whether it was new. */
  add(entry: {
    provider: MessagingProvider;
    kind: AllowlistKind;
    id: string;
    displayName: string | null;
    at: number;
    by: AccessActor;
  }): boolean;
  /** Removes an entry; returns whether it existed. */
  remove(provider: MessagingProvider, kind: AllowlistKind, id: string): boolean;
  has(provider: MessagingProvider, kind: AllowlistKind, id: string): boolean;
}

/** The allowlist repository over the shared database. */
export function createAllowlistRepo(db: Database): AllowlistRepo {
  const selectAll = db.prepare<[], Row>(
    'SELECT * FROM allowlist_entries ORDER BY provider, kind, approved_at',
  );
  const selectProvider = db.prepare<[string], Row>(
    'SELECT * FROM allowlist_entries WHERE provider = ? ORDER BY kind, approved_at',
  );
  const insert = db.prepare(
    `INSERT INTO allowlist_entries (provider, kind, entry_id, display_name, approved_at, approved_by)
     VALUES (@provider, @kind, @id, @displayName, @at, @by)
     ON CONFLICT (provider, kind, entry_id) DO UPDATE SET display_name = COALESCE(excluded.display_name, display_name)`,
  );
  const exists = db.prepare<[string, string, string], { one: number }>(
    'SELECT 1 AS one FROM allowlist_entries WHERE provider = ? AND kind = ? AND entry_id = ?',
  );
  const del = db.prepare(
    'DELETE FROM allowlist_entries WHERE provider = ? AND kind = ? AND entry_id = ?',
  );
  const toEntry = (r: Row): AllowlistEntry => ({
    provider: r.provider,
    kind: r.kind,
    id: r.entry_id,
    displayName: r.display_name,
    source: 'approved',
    approvedAt: r.approved_at,
    approvedBy: r.approved_by,
    configKey: null,
  });
  return {
    list: (provider) => (provider ? selectProvider.all(provider) : selectAll.all()).map(toEntry),
    add(entry) {
      const existed = exists.get(entry.provider, entry.kind, entry.id) !== undefined;
      insert.run(entry);
      return !existed;
    },
    remove: (provider, kind, id) => del.run(provider, kind, id).changes > 0,
    has: (provider, kind, id) => exists.get(provider, kind, id) !== undefined,
  };
}
