import { z } from 'zod';

/** The five states a supervised gateway can be in, as shown in the UI, the tray and `clawdbot status`. */
export const GatewayStateSchema = z.enum(['starting', 'running', 'stopping', 'stopped', 'crashed']);

/** A gateway state name. */
export type GatewayState = z.infer<typeof GatewayStateSchema>;

/** How the last gateway process ended; kept so the owner can see why a gateway is down. */
export const GatewayExitSchema = z.object({
  code: z.number().int().nullable(),
  signal: z.string().nullable(),
  at: z.number(),
  /** Last few KiB the child wrote to stderr, for diagnosing crash loops. */
  stderrTail: z.string(),
});

/** How the last gateway process ended. */
export type GatewayExit = z.infer<typeof GatewayExitSchema>;

/** Everything the UI and CLI show about the gateway process. */
export const GatewayStatusSchema = z.object({
  state: GatewayStateSchema,
  pid: z.number().int().nullable(),
  /** When the current process was started (ms since epoch). */
  startedAt: z.number().nullable(),
  /** When the current process reported `ready` (ms since epoch). */
  readyAt: z.number().nullable(),
  /** Automatic restarts since the supervisor (or the owner) last started it. */
  restarts: z.number().int().nonnegative(),
  lastExit: GatewayExitSchema.nullable(),
  /** When a scheduled automatic restart will happen, if one is pending. */
  nextRestartAt: z.number().nullable(),
  /** A one-line human explanation of the state, e.g. why it crashed. */
  message: z.string().nullable(),
});

/** Everything the UI and CLI show about the gateway process. */
export type GatewayStatus = z.infer<typeof GatewayStatusSchema>;

/** The status of a gateway that has never been started. */
export const idleGatewayStatus: GatewayStatus = {
  state: 'stopped',
  pid: null,
  startedAt: null,
  readyAt: null,
  restarts: 0,
  lastExit: null,
  nextRestartAt: null,
  message: null,
};
