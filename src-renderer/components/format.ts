import { formatDuration } from '../../src-shared/format/duration.js';

// One formatter of each kind for the page's life. `toLocaleString` and friends build a new
// Intl formatter (and look up its locale data) on every call: a dashboard of counts and hours
// made hundreds of them before its first paint.
// The fields `Date.prototype.toLocaleString()` shows by default: the same words as before.
const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'numeric',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  second: '2-digit',
});
const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const count = new Intl.NumberFormat('en-US');

/** A local date and time for a timestamp. */
export function formatTime(at: number): string {
  return dateTime.format(at);
}

/** A local time of day, hours and minutes ("14:05", "02:05 PM"), for a timestamp. */
export function formatClock(at: number): string {
  return clock.format(at);
}

/** A count with thousands separators ("12,345"), the same in every locale as the app's words. */
export function formatCount(n: number): string {
  return count.format(n);
}

/** Time left until `deadline`, for countdowns: "59 min 12 s", or "expired". */
export function formatTimeLeft(deadline: number, now: number): string {
  const left = deadline - now;
  return left <= 0 ? 'expired' : formatDuration(left);
}
