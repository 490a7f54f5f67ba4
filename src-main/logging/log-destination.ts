import { accessSync, chmodSync, constants, lstatSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Config } from '../../src-shared/config/schema.js';
import type { LogStatus } from '../../src-shared/domain/log-status.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { logFileForDay } from './log-paths.js';
import { DEFAULT_LOG_FILE_PATTERN, fallbackLogPattern } from '../state-layout.js';

/**
 * Overrides `logging.file` (same `YYYY-MM-DD` pattern rules). For tests and for running several
 * instances side by side; the config is the owner's normal way to set it.
 */
export const LOG_FILE_ENV = 'CLAWDBOT_LOG_FILE';

/** Log directory mode: logs hold conversations, so nobody else may even list them. */
export const LOG_DIR_MODE = 0o700;

const posix = process.platform !== 'win32';

/** The pattern asked for: `$CLAWDBOT_LOG_FILE`, else `logging.file`, else the default. */
export function configuredLogPattern(env: NodeJS.ProcessEnv, config: Config | null): string {
  return env[LOG_FILE_ENV]?.trim() || config?.logging.file || DEFAULT_LOG_FILE_PATTERN;
}

function errorText(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? describeError(error);
}

/** Whether `dir` could be created: its nearest existing ancestor is a directory we may write. */
function creatable(dir: string): string | null {
  let at = dirname(dir);
  for (;;) {
    try {
      if (!lstatSync(at).isDirectory()) return `${dir} cannot be created: ${at} is not a directory`;
      accessSync(at, constants.W_OK);
      return null;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        return `${dir} cannot be created: ${errorText(error)} on ${at}`;
    }
    const up = dirname(at);
    if (up === at) return `${dir} cannot be created`;
    at = up;
  }
}

/**
 * Why `dir` must not hold our logs, or null if it may. It must be a real directory (not a
 * symlink) owned by this user: the default lives in the shared /tmp, where another user could
 * have created `/tmp/clawdbot`, or a symlink by that name, to read or redirect our logs. With
 * `prepare`, a missing directory is created 0700 and a looser one of ours tightened; without
 * (status, the audit, readers), nothing is changed and a missing one is fine if it can be made.
 */
export function logDirProblem(dir: string, prepare: boolean): string | null {
  if (prepare) {
    try {
      mkdirSync(dir, { recursive: true, mode: LOG_DIR_MODE });
    } catch (error) {
      // Something that is not a directory is in the way: the checks below say what.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST')
        return `${dir} cannot be created: ${errorText(error)}`;
    }
  }
  if (!posix) return null;
  let stat;
  try {
    stat = lstatSync(dir);
  } catch (error) {
    if (!prepare && (error as NodeJS.ErrnoException).code === 'ENOENT') return creatable(dir);
    return `${dir} cannot be read: ${errorText(error)}`;
  }
  if (stat.isSymbolicLink()) return `${dir} is a symbolic link, which could lead our logs anywhere`;
  if (!stat.isDirectory()) return `${dir} is not a directory`;
  if (stat.uid !== process.getuid?.())
    return `${dir} belongs to another user (uid ${stat.uid}), who could read or swap our logs`;
  if (prepare && (stat.mode & 0o777) !== LOG_DIR_MODE) {
    try {
      chmodSync(dir, LOG_DIR_MODE);
    } catch (error) {
      return `${dir} cannot be made private: ${errorText(error)}`;
    }
  }
  return null;
}

/** Where a process's log lines go, and why there if not where configured. */
export interface LogDestination {
  /** The pattern lines go to: the configured one, or the fallback under the state directory. */
  pattern: string;
  /** Set when the configured directory was refused. */
  fallback: { configured: string; reason: string } | null;
  /** Set when the fallback cannot be written either: no log at all. */
  error: string | null;
}

/**
 * Where logs of `at`'s day go for a configured pattern: there if its directory can be trusted,
 * else `<state dir>/logs/` (never silently nowhere). Writers `prepare` (create, tighten); status,
 * the audit and the log readers only look, and reach the same answer.
 */
export function resolveLogDestination(
  configured: string,
  stateDir: string,
  options: { prepare: boolean; at?: Date },
): LogDestination {
  const at = options.at ?? new Date();
  const reason = logDirProblem(dirname(logFileForDay(configured, at)), options.prepare);
  if (reason === null) return { pattern: configured, fallback: null, error: null };
  const pattern = fallbackLogPattern(stateDir, configured);
  const fallback = { configured: logFileForDay(configured, at), reason };
  return {
    pattern,
    fallback,
    error: logDirProblem(dirname(logFileForDay(pattern, at)), options.prepare),
  };
}

/** A destination as status shows it (`clawdbot status --json`, the dashboard). */
export function logStatusOf(destination: LogDestination, at = new Date()): LogStatus {
  return {
    file: logFileForDay(destination.pattern, at),
    fallback: destination.fallback,
    error: destination.error,
  };
}

/** The one line said on stderr (and in the log) when logs are not where they were meant to go. */
export function describeLogDestination(
  destination: LogDestination,
  at = new Date(),
): string | null {
  const file = logFileForDay(destination.pattern, at);
  if (destination.error) {
    return `NO LOG IS BEING WRITTEN: ${destination.fallback?.reason ?? ''}; and the fallback failed too: ${destination.error}`;
  }
  if (destination.fallback) {
    return `not logging to ${destination.fallback.configured}: ${destination.fallback.reason}; logging to ${file} instead`;
  }
  return null;
}
