import { formatSpan } from '../../src-shared/format/duration.js';

/** How long ago `at` was at `now`: "just now", "12 s ago", "5 min ago", "2 d ago". */
export function formatAgo(at: number, now: number): string {
  const ms = now - at;
  return ms < 5000 ? 'just now' : `${formatSpan(ms)} ago`;
}
