import type { Database } from 'better-sqlite3';
import { createAccessAuditRepo, type AccessAuditRepo } from '../store/access-audit-repo.js';
import { createAllowlistRepo, type AllowlistRepo } from '../store/allowlist-repo.js';
import {
  createAllowlistNotesRepo,
  type AllowlistNotesRepo,
} from '../store/allowlist-notes-repo.js';
import { createOutboxRepo, type OutboxRepo } from '../store/outbox-repo.js';
import { createPairingRepo, type PairingRepo } from '../store/pairing-repo.js';

/** The access repositories over one database connection, for code that changes several at once. */
export interface AccessStore {
  db: Database;
  pairing: PairingRepo;
  allowlist: AllowlistRepo;
  /** The owner's labels and how entries were added. */
  notes: AllowlistNotesRepo;
  audit: AccessAuditRepo;
  outbox: OutboxRepo;
}

/** Binds the access repositories to a database. */
export function createAccessStore(db: Database): AccessStore {
  return {
    db,
    pairing: createPairingRepo(db),
    allowlist: createAllowlistRepo(db),
    notes: createAllowlistNotesRepo(db),
    audit: createAccessAuditRepo(db),
    outbox: createOutboxRepo(db),
  };
}
