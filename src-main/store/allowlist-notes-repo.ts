import type { Database } from 'better-sqlite3';
import type { AllowlistKind } from '../../src-shared/domain/access.js';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';

/** How an entry was added, when the entry itself does not say. */
export type NoteOrigin = 'manual' | 'setup';

/** The owner's label for an allowlist entry and how it was added. */
export interface AllowlistNote {
  provider: MessagingProvider;
  kind: AllowlistKind;
  id: string;
  label: string | null;
  origin: NoteOrigin | null;
}

interface Row {
  provider: MessagingProvider;
  kind: AllowlistKind;
  entry_id: string;
  label: string | null;
  origin: NoteOrigin | null;
}

/** Labels and origins of allowlist entries, whether approved here or listed in the config file. */
export interface AllowlistNotesRepo {
  list(): AllowlistNote[];
  /** Sets the label (null clears it), keeping the origin. */
  label(
    provider: MessagingProvider,
    kind: AllowlistKind,
    id: string,
    label: string | null,
    at: number,
  ): void;
  /** Records how the entry was added, keeping the label. */
  origin(
    provider: MessagingProvider,
    kind: AllowlistKind,
    id: string,
    origin: NoteOrigin,
    at: number,
  ): void;
  remove(provider: MessagingProvider, kind: AllowlistKind, id: string): void;
}

/** The allowlist notes repository over the shared database. */
export function createAllowlistNotesRepo(db: Database): AllowlistNotesRepo {
  const all = db.prepare<[], Row>('SELECT * FROM allowlist_notes');
  const setLabel = db.prepare(
    `INSERT INTO allowlist_notes (provider, kind, entry_id, label, updated_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (provider, kind, entry_id) DO UPDATE SET label = excluded.label, updated_at = excluded.updated_at`,
  );
  const setOrigin = db.prepare(
    `INSERT INTO allowlist_notes (provider, kind, entry_id, origin, updated_at)
     VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (provider, kind, entry_id) DO UPDATE SET origin = excluded.origin, updated_at = excluded.updated_at`,
  );
  const del = db.prepare(
    'DELETE FROM allowlist_notes WHERE provider = ? AND kind = ? AND entry_id = ?',
  );
  return {
    list: () =>
      all.all().map((r) => ({
        provider: r.provider,
        kind: r.kind,
        id: r.entry_id,
        label: r.label,
        origin: r.origin,
      })),
    label: (provider, kind, id, label, at) => void setLabel.run(provider, kind, id, label, at),
    origin: (provider, kind, id, origin, at) => void setOrigin.run(provider, kind, id, origin, at),
    remove: (provider, kind, id) => void del.run(provider, kind, id),
  };
}
