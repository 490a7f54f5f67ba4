/** A short human duration: 850 ms, 12 s, 3 min 4 s, 2 h 5 min. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/** A local date and time for a timestamp. */
export function formatTime(at: number): string {
  return new Date(at).toLocaleString();
}

/** Time left until `deadline`, for countdowns: "59 min 12 s", or "expired". */
export function formatTimeLeft(deadline: number, now: number): string {
  const left = deadline - now;
  return left <= 0 ? 'expired' : formatDuration(left);
}
