import { chmodSync, lstatSync, mkdirSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { dayStamp, listLogFiles, logFileForDay } from './log-paths.js';

/** Log directory mode: logs hold conversations, so nobody else may even list them. */
export const LOG_DIR_MODE = 0o700;
/** Log file mode. */
export const LOG_FILE_MODE = 0o600;

const posix = process.platform !== 'win32';

/**
 * Creates the log directory (0700) and tightens it if it exists looser. Returns false when the
 * directory must not be used: the default lives in the shared /tmp, where another user could
 * have created `/tmp/clawdbot` (or a symlink by that name) to read or redirect our logs.
 */
export function ensureLogDir(dir: string): boolean {
  try {
    mkdirSync(dir, { recursive: true, mode: LOG_DIR_MODE });
    if (!posix) return true;
    const stat = lstatSync(dir);
    if (!stat.isDirectory() || stat.uid !== process.getuid?.()) return false;
    if ((stat.mode & 0o777) !== LOG_DIR_MODE) chmodSync(dir, LOG_DIR_MODE);
    return true;
  } catch {
    return false;
  }
}

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
  if (!ensureLogDir(dirname(logFileForDay(pattern, now)))) return [];
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
