import { readdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { dayStamp } from '../../src-shared/format/day-stamp.js';

const DAY_TOKEN = 'YYYY-MM-DD';

/**
 * The file a day's lines go to. A pattern without `YYYY-MM-DD` gets the day inserted before
 * its extension, so "a new file each day" holds whatever the owner configured.
 */
export function logFileForDay(pattern: string, at: Date): string {
  const day = dayStamp(at);
  if (pattern.includes(DAY_TOKEN)) return pattern.replace(DAY_TOKEN, day);
  const name = basename(pattern);
  const dot = name.lastIndexOf('.');
  const dated = dot > 0 ? `${name.slice(0, dot)}-${day}${name.slice(dot)}` : `${name}-${day}`;
  return join(dirname(pattern), dated);
}

/** One day's log file. */
export interface LogFileOfDay {
  path: string;
  /** `YYYY-MM-DD`. */
  day: string;
}

/** Every existing log file of a pattern, oldest day first. */
export function listLogFiles(pattern: string): LogFileOfDay[] {
  const sample = logFileForDay(pattern, new Date(2000, 0, 1));
  const dir = dirname(sample);
  const name = basename(sample);
  const at = name.indexOf('2000-01-01');
  const prefix = name.slice(0, at);
  const suffix = name.slice(at + DAY_TOKEN.length);
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    // No log directory yet: no log files.
    return [];
  }
  const files: LogFileOfDay[] = [];
  for (const entry of entries) {
    if (!entry.startsWith(prefix) || !entry.endsWith(suffix)) continue;
    const day = entry.slice(prefix.length, entry.length - suffix.length);
    if (/^\d{4}-\d{2}-\d{2}$/.test(day)) files.push({ path: join(dir, entry), day });
  }
  return files.sort((a, b) => a.day.localeCompare(b.day));
}
