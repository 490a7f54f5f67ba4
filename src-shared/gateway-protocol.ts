import { z } from 'zod';
import {
  ConsoleMessageSchema,
  MAX_CONSOLE_MESSAGE_LENGTH,
  ProviderActionSchema,
  ProviderStatusSchema,
} from './domain/provider-status.js';
import { MAX_API_KEY_LENGTH } from './domain/model-status.js';
import { MessagingProviderSchema } from './domain/providers.js';

/**
 * The supervisor⇄gateway protocol, spoken over the child's IPC channel (Node `fork` or
 * Electron `utilityProcess`). Both sides parse every message they receive.
 */
export const GatewayToSupervisorSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('ready'), pid: z.number().int(), version: z.string() }),
  z.object({ type: z.literal('heartbeat'), at: z.number() }),
  z.object({
    type: z.literal('status'),
    requestId: z.string(),
    uptimeMs: z.number(),
    pid: z.number().int(),
  }),
  z.object({ type: z.literal('providers'), statuses: z.array(ProviderStatusSchema) }),
  z.object({ type: z.literal('console'), message: ConsoleMessageSchema }),
  /**
   * A transcript grew. The events are in SQLite already, where the supervisor reads them (as it
   * reads what the CLI writes), so the notice carries nothing: it only says to look now rather
   * than at the next poll.
   */
  z.object({ type: z.literal('sessions-changed') }),
  /**
   * The gateway listens now and asks for the keychain's secrets (the model key, the Telegram
   * bot token). Sent first thing: a message sent to a child before it listens can be lost, so
   * the supervisor answers this instead.
   */
  z.object({ type: z.literal('keychain-request') }),
]);

/** A message from the gateway. */
export type GatewayToSupervisor = z.infer<typeof GatewayToSupervisorSchema>;

/** The secrets the desktop app keeps in the OS keychain and hands to the gateway. */
export const KeychainSecretNameSchema = z.enum(['model-key', 'telegram-token']);
/** A secret the desktop app keeps in the OS keychain. */
export type KeychainSecretName = z.infer<typeof KeychainSecretNameSchema>;

/** Messages the supervisor sends to the gateway. */
export const SupervisorToGatewaySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('shutdown'), reason: z.string() }),
  z.object({ type: z.literal('status-request'), requestId: z.string() }),
  z.object({
    type: z.literal('provider-control'),
    provider: MessagingProviderSchema,
    action: ProviderActionSchema,
  }),
  z.object({
    type: z.literal('console'),
    id: z.string().min(1).max(100),
    text: z.string().min(1).max(MAX_CONSOLE_MESSAGE_LENGTH),
  }),
  /**
   * A secret from the desktop app's keychain — the model key or the Telegram bot token — (null:
   * none, or cleared), in answer to `keychain-request` and again whenever the owner saves or
   * clears it. It travels only here, never in the gateway's environment, where anything running
   * as the owner could read it back from `/proc/<pid>/environ`; it is never logged.
   */
  z.object({
    type: z.literal('keychain-secret'),
    name: KeychainSecretNameSchema,
    value: z.string().trim().min(1).max(MAX_API_KEY_LENGTH).nullable(),
  }),
]);

/** A message to the gateway. */
export type SupervisorToGateway = z.infer<typeof SupervisorToGatewaySchema>;

/** How often the gateway says it is alive. */
export const HEARTBEAT_INTERVAL_MS = 1000;
