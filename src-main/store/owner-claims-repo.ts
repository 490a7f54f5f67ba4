import { randomInt } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { PAIRING_ALPHABET } from '../../src-shared/domain/access.js';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';

/** How long a setup owner code stays valid. */
export const OWNER_CODE_TTL_MS = 15 * 60 * 1000;

/** An owner code as the owner sends it: `OWNER-` and eight unambiguous characters. */
export const OWNER_CODE_PATTERN = /^OWNER-[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]{8}$/;

/** A setup owner code and, once claimed, who claimed it. */
export interface OwnerClaim {
  code: string;
  createdAt: number;
  expiresAt: number;
  provider: MessagingProvider | null;
  senderId: string | null;
  claimedAt: number | null;
}

interface Row {
  code: string;
  created_at: number;
  expires_at: number;
  provider: MessagingProvider | null;
  sender_id: string | null;
  claimed_at: number | null;
}

/** The setup flow's one-time owner codes. */
export interface OwnerClaimsRepo {
  /** A new code; every unclaimed older one stops working. */
  create(now: number): OwnerClaim;
  /**
   * Claims a live code for the sender; true for the first sender only. The text is compared
   * whole (trimmed, any case), so a code quoted inside a message claims nothing.
   */
  claim(text: string, provider: MessagingProvider, senderId: string, now: number): boolean;
  /** The newest code, claimed or not. */
  latest(): OwnerClaim | null;
}

function newCode(): string {
  let code = 'OWNER-';
  for (let i = 0; i < 8; i += 1) code += PAIRING_ALPHABET[randomInt(PAIRING_ALPHABET.length)];
  return code;
}

const toClaim = (r: Row): OwnerClaim => ({
  code: r.code,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
  provider: r.provider,
  senderId: r.sender_id,
  claimedAt: r.claimed_at,
});

/** The owner claims repository over the shared database. */
export function createOwnerClaimsRepo(db: Database): OwnerClaimsRepo {
  const retire = db.prepare('DELETE FROM owner_claims WHERE claimed_at IS NULL');
  const insert = db.prepare(
    'INSERT INTO owner_claims (code, created_at, expires_at) VALUES (?, ?, ?)',
  );
  const take = db.prepare(
    `UPDATE owner_claims SET provider = ?, sender_id = ?, claimed_at = ?
     WHERE code = ? AND claimed_at IS NULL AND expires_at > ?`,
  );
  const newest = db.prepare<[], Row>(
    'SELECT * FROM owner_claims ORDER BY created_at DESC, rowid DESC LIMIT 1',
  );
  return {
    create(now) {
      const code = newCode();
      db.transaction(() => {
        retire.run();
        insert.run(code, now, now + OWNER_CODE_TTL_MS);
      }).immediate();
      return {
        code,
        createdAt: now,
        expiresAt: now + OWNER_CODE_TTL_MS,
        provider: null,
        senderId: null,
        claimedAt: null,
      };
    },
    claim(text, provider, senderId, now) {
      const code = text.trim().toUpperCase();
      if (!OWNER_CODE_PATTERN.test(code)) return false;
      return take.run(provider, senderId, now, code, now).changes > 0;
    },
    latest() {
      const row = newest.get();
      return row ? toClaim(row) : null;
    },
  };
}
