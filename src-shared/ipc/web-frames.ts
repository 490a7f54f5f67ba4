import { z } from 'zod';

/**
 * Frames of the contract over WebSocket (web mode and the CLI's control socket). The first
 * client frame must be an auth frame; after that, requests. The server replies to requests by
 * id and pushes events.
 */
export const AuthFrameSchema = z.strictObject({ type: z.literal('auth'), token: z.string() });

/** A request frame: one contract call. */
export const RequestFrameSchema = z.strictObject({
  id: z.union([z.string().min(1).max(100), z.number().int()]),
  channel: z.string(),
  input: z.unknown(),
});

/** A request frame: one contract call. */
export type RequestFrame = z.infer<typeof RequestFrameSchema>;

/** The WebSocket close code for a policy violation (RFC 6455): bad or missing token. */
export const WS_POLICY_VIOLATION = 1008;

/**
 * The WebSocket close code (from the application range 4000–4999) for a peer locked out after
 * too many failed sign-ins: even the right token is refused until the lockout ends.
 */
export const WS_LOCKED_OUT = 4429;

/** The WebSocket path the contract is served on. */
export const IPC_WS_PATH = '/ipc';
