import { z } from 'zod';
import { MessagingProviderSchema } from './providers.js';

/**
 * A messaging provider's connection state, as the Providers view shows it: `disabled` (not
 * configured or switched off), `stopped` (by the owner), `connecting`, `qr` (WhatsApp waiting for
 * a phone to scan), `connected`, `logged-out` (WhatsApp: link again), `error` (stopped with a
 * reason, e.g. a bad token — never a crash loop).
 */
export const ProviderStateSchema = z.enum([
  'disabled',
  'stopped',
  'connecting',
  'qr',
  'connected',
  'logged-out',
  'error',
]);
/** A provider connection state. */
export type ProviderState = z.infer<typeof ProviderStateSchema>;

/** One provider's status. Never carries a secret (token, credentials). */
export const ProviderStatusSchema = z.object({
  provider: MessagingProviderSchema,
  state: ProviderStateSchema,
  /** Who we are connected as: `@botname` on Telegram, `+15550001111` on WhatsApp. */
  account: z.string().nullable(),
  /** The current WhatsApp linking QR payload while `state` is `qr`; it rotates. */
  qr: z.string().nullable(),
  /** The last error, kept after recovering so the owner can see what happened. */
  lastError: z.string().nullable(),
  lastErrorAt: z.number().nullable(),
  /** When the state last changed. */
  since: z.number(),
});
/** One provider's status. */
export type ProviderStatus = z.infer<typeof ProviderStatusSchema>;

/** Owner controls on a provider. */
export const ProviderActionSchema = z.enum(['start', 'stop', 'logout']);
/** An owner control on a provider. */
export type ProviderAction = z.infer<typeof ProviderActionSchema>;

/** A line of the owner's console chat. */
export const ConsoleMessageSchema = z.object({
  id: z.string(),
  role: z.enum(['owner', 'assistant']),
  text: z.string(),
  at: z.number(),
});
/** A line of the owner's console chat. */
export type ConsoleMessage = z.infer<typeof ConsoleMessageSchema>;

/** The longest console message accepted (a chat line, not a file upload). */
export const MAX_CONSOLE_MESSAGE_LENGTH = 16_000;
