import type { IpcError } from '../domain/app-error.js';

/**
 * The reply to every contract call. Errors are values: nothing is thrown across a process
 * boundary, so a renderer never sees a half-serialised exception.
 */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: IpcError };

/** A successful envelope. */
export function okEnvelope<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

/** A failed envelope. */
export function errorEnvelope<T = never>(code: IpcError['code'], message: string): Envelope<T> {
  return { ok: false, error: { code, message } };
}
