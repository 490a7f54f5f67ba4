/**
 * The one-line text of anything thrown: an `Error`'s message, or the value itself as text.
 * Every log line, envelope error and reply that reports a failure goes through here, so a thrown
 * string, a rejected non-Error or an `Error` read the same everywhere.
 */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  try {
    return String(error);
  } catch {
    // An object whose toString throws still deserves a line rather than a second exception.
    return Object.prototype.toString.call(error);
  }
}
