import { formatDuration } from '../../src-shared/format/duration.js';

/** A local date and time for a timestamp. */
export function formatTime(at: number): string {
  return new Date(at).toLocaleString();
}

/** Time left until `deadline`, for countdowns: "59 min 12 s", or "expired". */
export function formatTimeLeft(deadline: number, now: number): string {
  const left = deadline - now;
  return left <= 0 ? 'expired' : formatDuration(left);
}
