import { z } from 'zod';

/**
 * Error codes that cross a process boundary. Grouped by where the failure happened, so a caller
 * can tell "you sent something wrong" from "the system refused" from "something broke".
 */
export const ErrorCodeSchema = z.enum([
  /** The payload did not match the contract. */
  'BAD_INPUT',
  /** The channel is not in the contract. */
  'UNKNOWN_CHANNEL',
  /** The caller is not allowed to call (wrong frame, wrong origin, no token). */
  'FORBIDDEN',
  /** The kill switch is engaged, so the request would start something it killed. */
  'KILL_SWITCH_ENGAGED',
  /** The thing asked about does not exist (e.g. no pending request with that code). */
  'NOT_FOUND',
  /** The request conflicts with the current state (e.g. a second supervisor). */
  'CONFLICT',
  /** Something the supervisor needs is not there (e.g. no supervisor is running). */
  'UNAVAILABLE',
  /** Our own code failed; the message says where. */
  'INTERNAL',
]);

/** An error code that crosses a process boundary. */
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/** The error half of an IPC envelope. */
export const IpcErrorSchema = z.object({ code: ErrorCodeSchema, message: z.string() });

/** The error half of an IPC envelope. */
export type IpcError = z.infer<typeof IpcErrorSchema>;

/** An error with a code that survives being sent over IPC as a value. */
export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
