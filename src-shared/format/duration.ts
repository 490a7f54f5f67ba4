/**
 * A duration to the second, for uptimes and countdowns: `850 ms`, `12 s`, `3 min 4 s`,
 * `2 h 5 min`. Units are cut, never rounded up, so a countdown never shows more than is left.
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * A span of time, coarse as a glance needs (ages, idle times): `40 s`, `5 min`, `3 h`, `2 d`.
 * Cut like {@link formatDuration}; hours up to two days, then days.
 */
export function formatSpan(ms: number): string {
  const s = Math.floor(Math.max(0, ms) / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}
