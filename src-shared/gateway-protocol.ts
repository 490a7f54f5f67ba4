import { z } from 'zod';

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
]);

/** A message from the gateway. */
export type GatewayToSupervisor = z.infer<typeof GatewayToSupervisorSchema>;

/** Messages the supervisor sends to the gateway. */
export const SupervisorToGatewaySchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('shutdown'), reason: z.string() }),
  z.object({ type: z.literal('status-request'), requestId: z.string() }),
]);

/** A message to the gateway. */
export type SupervisorToGateway = z.infer<typeof SupervisorToGatewaySchema>;

/** How often the gateway says it is alive. */
export const HEARTBEAT_INTERVAL_MS = 1000;
