import { chmodSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { logDirProblem } from './log-destination.js';
import { listLogFiles, logFileForDay } from './log-paths.js';
import { dayStamp } from '../../src-shared/format/day-stamp.js';

/** Log file mode. */
export const LOG_FILE_MODE = 0o600;

const posix = process.platform !== 'win32';

/** Tightens an existing log file to 0600 (one created by an older version, or by hand). */
export function secureLogFile(path: string): void {
  if (!posix) return;
  try {
    if ((statSync(path).mode & 0o777) !== LOG_FILE_MODE) chmodSync(path, LOG_FILE_MODE);
  } catch {
    // Not there yet: it is created 0600.
  }
}

/** The first day kept: files of earlier days are more than `keepDays` days old. */
export function oldestKeptDay(now: Date, keepDays: number): string {
  const cutoff = new Date(now);
  cutoff.setDate(cutoff.getDate() - keepDays);
  return dayStamp(cutoff);
}

/**
 * Removes the pattern's files whose day is more than `keepDays` days before `now`, and enforces
 * the modes on the directory and the files kept. Returns the removed paths. Never throws: a log
 * that cannot be pruned must not stop the process it belongs to.
 */
export function pruneLogFiles(pattern: string, keepDays: number, now: Date): string[] {
  // Never prune a directory we do not trust: it may not even hold our files.
  if (logDirProblem(dirname(logFileForDay(pattern, now)), true) !== null) return [];
  const oldest = oldestKeptDay(now, keepDays);
  const removed: string[] = [];
  for (const file of listLogFiles(pattern)) {
    if (file.day < oldest) {
      try {
        unlinkSync(file.path);
        removed.push(file.path);
      } catch {
        // Another process pruned it first.
      }
    } else {
      secureLogFile(file.path);
    }
  }
  return removed;
}
