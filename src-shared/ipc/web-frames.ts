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

export { IPC_WS_PATH, WS_LOCKED_OUT, WS_POLICY_VIOLATION } from './web-constants.js';
