/**
 * A numeric setting from the environment: `fallback` when unset, empty, zero or not a number, and
 * never below `min` (a median of fewer runs than that is not worth recording).
 */
export function envNumber(name: string, fallback: number, min: number): number {
  return Math.max(min, Number(process.env[name] ?? fallback) || fallback);
}

/** Whether the on/off setting `name` is switched on (`name=1`). */
export function envFlag(name: string): boolean {
  return process.env[name] === '1';
}
