import type { Database } from 'better-sqlite3';
import type { PairingRequest } from '../../src-shared/domain/access.js';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';

interface Row {
  id: string;
  provider: MessagingProvider;
  sender_id: string;
  display_name: string | null;
  code: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  /** JSON: `{ handle?, firstMessage? }` (and, for imported requests, the old store's meta). */
  meta: string | null;
}

/** A string field of a request's meta, or null. */
function metaText(meta: string | null, key: 'handle' | 'firstMessage'): string | null {
  if (!meta) return null;
  try {
    const value: unknown = (JSON.parse(meta) as Record<string, unknown>)[key];
    return typeof value === 'string' ? value : null;
  } catch {
    // Written by us as JSON; anything else is not worth failing a list over.
    return null;
  }
}

const toRequest = (r: Row): PairingRequest => ({
  id: r.id,
  provider: r.provider,
  senderId: r.sender_id,
  displayName: r.display_name,
  code: r.code,
  createdAt: r.created_at,
  lastSeenAt: r.last_seen_at,
  expiresAt: r.expires_at,
  handle: metaText(r.meta, 'handle'),
  firstMessage: metaText(r.meta, 'firstMessage'),
});

/** Pending pairing requests and recent rejections: plain reads and writes, no policy. */
export interface PairingRepo {
  /** Deletes requests expired at `now`; returns them. Also forgets rejections that ran out. */
  pruneExpired(now: number): PairingRequest[];
  list(provider?: MessagingProvider): PairingRequest[];
  findBySender(provider: MessagingProvider, senderId: string): PairingRequest | undefined;
  findByCode(provider: MessagingProvider, code: string): PairingRequest | undefined;
  codeInUse(code: string): boolean;
  countPending(provider: MessagingProvider): number;
  /** Stores a request; its handle and first message go in `meta`, with `extraMeta` (imports). */
  insert(request: PairingRequest, extraMeta?: Record<string, unknown>): void;
  touch(id: string, at: number): void;
  delete(id: string): void;
  rejectUntil(provider: MessagingProvider, senderId: string, until: number): void;
  isRejected(provider: MessagingProvider, senderId: string, now: number): boolean;
}

/** The pairing repository over the shared database. */
export function createPairingRepo(db: Database): PairingRepo {
  const expired = db.prepare<[number], Row>('SELECT * FROM pairing_requests WHERE expires_at <= ?');
  const deleteExpired = db.prepare('DELETE FROM pairing_requests WHERE expires_at <= ?');
  const deleteOldRejections = db.prepare(
    'DELETE FROM pairing_rejections WHERE rejected_until <= ?',
  );
  const all = db.prepare<[], Row>('SELECT * FROM pairing_requests ORDER BY created_at');
  const byProvider = db.prepare<[string], Row>(
    'SELECT * FROM pairing_requests WHERE provider = ? ORDER BY created_at',
  );
  const bySender = db.prepare<[string, string], Row>(
    'SELECT * FROM pairing_requests WHERE provider = ? AND sender_id = ?',
  );
  const byCode = db.prepare<[string, string], Row>(
    'SELECT * FROM pairing_requests WHERE provider = ? AND code = ?',
  );
  const code = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM pairing_requests WHERE code = ?',
  );
  const count = db.prepare<[string], { n: number }>(
    'SELECT COUNT(*) AS n FROM pairing_requests WHERE provider = ?',
  );
  const insert = db.prepare(
    `INSERT INTO pairing_requests (id, provider, sender_id, display_name, code, created_at, last_seen_at, expires_at, meta)
     VALUES (@id, @provider, @senderId, @displayName, @code, @createdAt, @lastSeenAt, @expiresAt, @meta)`,
  );
  const touch = db.prepare('UPDATE pairing_requests SET last_seen_at = ? WHERE id = ?');
  const del = db.prepare('DELETE FROM pairing_requests WHERE id = ?');
  const reject = db.prepare(
    `INSERT INTO pairing_rejections (provider, sender_id, rejected_until) VALUES (?, ?, ?)
     ON CONFLICT (provider, sender_id) DO UPDATE SET rejected_until = excluded.rejected_until`,
  );
  const rejected = db.prepare<[string, string, number], { one: number }>(
    'SELECT 1 AS one FROM pairing_rejections WHERE provider = ? AND sender_id = ? AND rejected_until > ?',
  );
  return {
    pruneExpired(now) {
      const gone = expired.all(now).map(toRequest);
      if (gone.length > 0) deleteExpired.run(now);
      deleteOldRejections.run(now);
      return gone;
    },
    list: (provider) => (provider ? byProvider.all(provider) : all.all()).map(toRequest),
    findBySender: (provider, senderId) => {
      const r = bySender.get(provider, senderId);
      return r && toRequest(r);
    },
    findByCode: (provider, c) => {
      const r = byCode.get(provider, c);
      return r && toRequest(r);
    },
    codeInUse: (c) => code.get(c) !== undefined,
    countPending: (provider) => count.get(provider)?.n ?? 0,
    insert: ({ handle, firstMessage, ...request }, extraMeta = {}) =>
      void insert.run({
        ...request,
        meta: JSON.stringify({
          ...extraMeta,
          handle: handle ?? null,
          firstMessage: firstMessage ?? null,
        }),
      }),
    touch: (id, at) => void touch.run(at, id),
    delete: (id) => void del.run(id),
    rejectUntil: (provider, senderId, until) => void reject.run(provider, senderId, until),
    isRejected: (provider, senderId, now) => rejected.get(provider, senderId, now) !== undefined,
  };
}
