/** A span of time, coarse as a glance needs: "40 s", "5 min", "3 h", "2 d". */
export function formatSpan(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

/** How long ago `at` was at `now`: "just now", "12 s ago", "5 min ago", "2 d ago". */
export function formatAgo(at: number, now: number): string {
  const ms = now - at;
  return ms < 5000 ? 'just now' : `${formatSpan(ms)} ago`;
}
