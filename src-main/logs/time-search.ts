import type { LineIndex } from './line-index.js';

/** How far past a line without a readable time the search looks for one. */
const PROBE_LINES = 32;

const TIME_FIELD = /"time":"([^"]+)"/;

/** The time (epoch ms) in a raw line, or null. */
export function rawLineTimeMs(raw: string): number | null {
  const match = TIME_FIELD.exec(raw);
  if (!match) return null;
  const ms = Date.parse(match[1]!);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * The first line at or after `timeMs`, by binary search: lines are appended in time order.
 * A probe that lands on a line without a time (malformed) uses the next line that has one;
 * lines at the end without any time count as later than everything.
 */
export function lineAtTime(index: LineIndex, timeMs: number): number {
  let lo = 0;
  let hi = index.lineCount();
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const lines = index.readRange(mid, Math.min(mid + PROBE_LINES, hi));
    const offset = lines.findIndex((line) => rawLineTimeMs(line) !== null);
    if (offset === -1) {
      hi = mid;
      continue;
    }
    if (rawLineTimeMs(lines[offset]!)! < timeMs) lo = mid + offset + 1;
    else hi = mid;
  }
  return lo;
}
