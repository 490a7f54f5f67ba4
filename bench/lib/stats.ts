/** The median of `values` (the mean of the middle two for an even count); NaN when empty. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The values that were measured at all: drops `null` and NaN (a run that saw no event). */
export function present(values: readonly (number | null)[]): number[] {
  return values.filter((v): v is number => v !== null && !Number.isNaN(v));
}
