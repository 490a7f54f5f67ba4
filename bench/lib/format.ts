/**
 * Number formats for the tables in RESULTS.md. The precision is part of what a bench records, so
 * every bench keeps the format it was first published with; these are shared, not unified.
 */

/** Milliseconds: whole above 100, else one decimal; `none` for a figure that was not measured. */
export function formatMs(ms: number | null): string {
  if (ms === null) return 'none';
  return Math.abs(ms) >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

/** Milliseconds down to microseconds, for figures far below 1 ms (where one decimal shows 0.0). */
export function formatFineMs(ms: number): string {
  if (ms >= 100) return ms.toFixed(0);
  if (ms >= 10) return ms.toFixed(1);
  return ms >= 1 ? ms.toFixed(2) : ms.toFixed(3);
}

/** A whole number with thousands separators (en-US, so the tables read the same everywhere). */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** A rate per second, compact: `499k` above 100,000, `26.0k` above 10,000, else in full. */
export function formatCompactRate(perSecond: number): string {
  if (perSecond >= 100_000) return formatCount(perSecond / 1000) + 'k';
  if (perSecond >= 10_000) return (perSecond / 1000).toFixed(1) + 'k';
  return formatCount(perSecond);
}

/** A ratio with three significant figures or so: `250×`, `14.6×`, `0.43×`. */
export function formatRatio(ratio: number): string {
  if (ratio >= 100) return `${ratio.toFixed(0)}×`;
  return ratio >= 10 ? `${ratio.toFixed(1)}×` : `${ratio.toFixed(2)}×`;
}

/** The min–max range of `values` in the given format, as printed beside a median. */
export function formatRange(values: readonly number[], format: (value: number) => string): string {
  return `${format(Math.min(...values))}–${format(Math.max(...values))}`;
}
