const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * `--since`: an ISO time (`2025-01-31`, `2025-01-31T09:00`, with or without zone) or a
 * duration back from now (`30s`, `10m`, `2h`, `1d`). Null when it is neither.
 */
export function parseSince(value: string, now: Date): Date | null {
  const text = value.trim();
  const relative = /^(\d+)\s*([smhd])$/.exec(text);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * UNITS[relative[2]!]!);
  if (!/^\d{4}-\d{2}-\d{2}/.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? null : new Date(ms);
}
