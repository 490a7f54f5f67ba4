/**
 * The local calendar day of a time, as `YYYY-MM-DD`: what names a day's log file and the day
 * daily budgets count in (both turn over at local midnight).
 */
export function dayStamp(at: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}`;
}
