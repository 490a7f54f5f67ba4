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
   * The gateway listens now and asks for the keychain's model key. Sent first thing: a message
   * sent to a child before it listens can be lost, so the supervisor answers this instead.
   */
  z.object({ type: z.literal('model-key-request') }),
]);

/** A message from the gateway. */
export type GatewayToSupervisor = z.infer<typeof GatewayToSupervisorSchema>;

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
   * The model key from the desktop app's keychain (null: none, or cleared), in answer to
   * `model-key-request` and again whenever the owner saves or clears it. It travels only here,
   * never in the gateway's environment, where anything running as the owner could read it back
   * from `/proc/<pid>/environ`; it is never logged.
   */
  z.object({
    type: z.literal('model-key'),
    key: z.string().trim().min(1).max(MAX_API_KEY_LENGTH).nullable(),
  }),
]);

/** A message to the gateway. */
export type SupervisorToGateway = z.infer<typeof SupervisorToGatewaySchema>;

/** How often the gateway says it is alive. */
export const HEARTBEAT_INTERVAL_MS = 1000;
