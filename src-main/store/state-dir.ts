import { chmodSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../src-shared/domain/app-error.js';

/**
 * The state directory: `$CLAWDBOT_STATE_DIR`, else `~/.clawdbot`. Everything Clawdbot keeps
 * (database, config, credentials, sandboxes) lives below it.
 */
export function resolveStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['CLAWDBOT_STATE_DIR'];
  return fromEnv && fromEnv.trim() !== '' ? fromEnv : join(homedir(), '.clawdbot');
}

// What the filesystem and SQLite say when this user may not create or write there.
const UNWRITABLE_ERRNO = new Set(['EACCES', 'EPERM', 'EROFS']);
const NOT_A_DIRECTORY_ERRNO = new Set(['ENOTDIR', 'EEXIST']);
const UNWRITABLE_SQLITE = /^SQLITE_(CANTOPEN|READONLY|PERM)/;

/**
 * The error for a state directory (or its database) this process cannot create or write, in
 * one line that says what to do; null when `error` is something else. A state directory made
 * by `sudo` once and owned by root since is the usual cause.
 */
export function stateDirError(stateDir: string, error: unknown): AppError | null {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  const elsewhere = 'or set CLAWDBOT_STATE_DIR to a directory you can write';
  if (NOT_A_DIRECTORY_ERRNO.has(code)) {
    return new AppError(
      'UNAVAILABLE',
      `the state directory ${stateDir} cannot be created: something on its path is a file, not a directory (${code}); move it away ${elsewhere}`,
    );
  }
  if (UNWRITABLE_ERRNO.has(code) || UNWRITABLE_SQLITE.test(code)) {
    return new AppError(
      'UNAVAILABLE',
      `the state directory ${stateDir} is not writable by this user (${code}): make it yours with \`sudo chown -R "$(id -un)" ${stateDir}\` ${elsewhere}`,
    );
  }
  return null;
}

/**
 * Creates the state directory if needed and makes it private (0700): it holds credentials and
 * transcripts, so nobody else on the machine may list it.
 */
export function ensureStateDir(stateDir: string): string {
  try {
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') chmodSync(stateDir, 0o700);
  } catch (error) {
    throw stateDirError(stateDir, error) ?? error;
  }
  return stateDir;
}
