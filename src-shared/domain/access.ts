import { z } from 'zod';
import { MessagingProviderSchema } from './providers.js';

export { PAIRING_REJECT_MS, PAIRING_TTL_MS } from './pairing-times.js';

/** The pairing code alphabet: no 0/O, 1/I, so a code read aloud or typed is unambiguous. */
export const PAIRING_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
/** Pairing codes are this long. */
export const PAIRING_CODE_LENGTH = 8;
/** At most this many pending requests per provider, so the bot cannot be used to spam. */
export const MAX_PENDING_PER_PROVIDER = 3;
/** A stranger's first message is kept for the owner to read up to this many characters. */
export const MAX_FIRST_MESSAGE_LENGTH = 500;

/**
 * What a stranger's first contact tells the owner besides their id and name: their public
 * handle as the platform gives it (Telegram `@username`; WhatsApp has none beyond the push name,
 * which is the display name) and the text of their first message. Shown to the owner only:
 * the message never reaches a session or a model.
 */
export interface FirstContact {
  handle?: string | null;
  firstMessage?: string | null;
}

/** A pairing code as typed by a person: 8 characters of the alphabet, any case. */
export const PairingCodeSchema = z
  .string()
  .trim()
  .transform((code) => code.toUpperCase())
  .pipe(
    z
      .string()
      .length(PAIRING_CODE_LENGTH, `a pairing code has ${PAIRING_CODE_LENGTH} characters`)
      .regex(
        /^[ABCDEFGHJKLMNPQRSTUVWXYZ23456789]+$/,
        'a pairing code uses only A–Z (no I, O) and 2–9',
      ),
  );

/** A stranger's pending request to talk to the bot. */
export const PairingRequestSchema = z.object({
  id: z.string(),
  provider: MessagingProviderSchema,
  senderId: z.string(),
  displayName: z.string().nullable(),
  code: z.string(),
  createdAt: z.number(),
  lastSeenAt: z.number(),
  expiresAt: z.number(),
  /** Their public handle (Telegram `@username`), when the platform gave one. */
  handle: z.string().nullable().optional(),
  /**
   * The text of the message that raised the request, cut to MAX_FIRST_MESSAGE_LENGTH: for the
   * owner to read, never sent to a model. Null for requests from before it was kept.
   */
  firstMessage: z.string().nullable().optional(),
});
/** A stranger's pending request. */
export type PairingRequest = z.infer<typeof PairingRequestSchema>;

/** DM senders or groups. */
export const AllowlistKindSchema = z.enum(['dm', 'group']);
/** DM senders or groups. */
export type AllowlistKind = z.infer<typeof AllowlistKindSchema>;

/** How an allowlist entry got there. */
export const AllowlistOriginSchema = z.enum(['pairing', 'manual', 'setup', 'import', 'config']);
/** How an allowlist entry got there. */
export type AllowlistOrigin = z.infer<typeof AllowlistOriginSchema>;

/** The most characters an owner's label for an allowlist entry may have. */
export const MAX_ALLOWLIST_LABEL = 100;

/** One allowlist entry, wherever it comes from. */
export const AllowlistEntrySchema = z.object({
  provider: MessagingProviderSchema,
  kind: AllowlistKindSchema,
  id: z.string(),
  displayName: z.string().nullable(),
  /** `config` entries are edited in the config file; `approved` ones live in the database. */
  source: z.enum(['config', 'approved']),
  approvedAt: z.number().nullable(),
  approvedBy: z.string().nullable(),
  /** For config entries: the key that lists it, e.g. `telegram.allowFrom`. */
  configKey: z.string().nullable(),
  /**
   * How it got there: a pairing approval, added by hand in Settings, bound in the first-run
   * setup, imported from an older version's files, or written in the config file.
   */
  origin: AllowlistOriginSchema.optional(),
  /** The owner's own name for the entry. */
  label: z.string().nullable().optional(),
});
/** One allowlist entry. */
export type AllowlistEntry = z.infer<typeof AllowlistEntrySchema>;

/** Who did something to access state. */
export const AccessActorSchema = z.enum(['gateway', 'cli', 'ui', 'legacy-import']);
/** Who did something to access state. */
export type AccessActor = z.infer<typeof AccessActorSchema>;

/** What an approval did. */
export const PairingApprovalSchema = z.object({
  request: PairingRequestSchema,
  notified: z.boolean(),
});
/** What an approval did. */
export type PairingApproval = z.infer<typeof PairingApprovalSchema>;

/** The text an approved sender gets when the owner chose to notify them. */
export const APPROVED_TEXT = 'Access approved. Send a message to start chatting.';
