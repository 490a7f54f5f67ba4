import { chmodSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { AppError } from '../src-shared/domain/app-error.js';

/**
 * Where Clawdbot keeps things: the state directory and every path below it, and the default
 * log files. The one place a file or directory name of the state layout is spelled out, so a
 * reader (the audit, the incident page, the tests) finds what a writer wrote.
 *
 * ```
 * $CLAWDBOT_STATE_DIR (default ~/.clawdbot, 0700)
 *   clawdbot.json        the config (unless $CLAWDBOT_CONFIG_PATH)
 *   clawdbot.db          SQLite, with -wal and -shm (0600)
 *   installation-id      this installation's random id (0600), the label on its sandboxes
 *   credentials/         whatsapp/ (linked device), model-key.bin (keychain-encrypted model key),
 *                        <provider>-allowFrom.json, <provider>-pairing.json (legacy stores)
 *   sandboxes/<id>/      one per sandboxed session: clawdbot-workspace.ext4 (its size-limited
 *                        filesystem); sandboxes/.last-used/<id> records its last use
 *   workspace/           the working directory of tools run on the host (the owner's session)
 *   gateways/<pid>.json  a lock file per running gateway
 *   supervisor.sock      the running supervisor's control socket (for the CLI)
 *   logs/                where logs go when the configured directory is refused
 * ```
 */

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

/** The config file: `$CLAWDBOT_CONFIG_PATH`, else `clawdbot.json` in the state directory. */
export function resolveConfigPath(stateDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['CLAWDBOT_CONFIG_PATH'];
  return fromEnv && fromEnv.trim() !== '' ? fromEnv : join(stateDir, 'clawdbot.json');
}

/** The database file name inside the state directory. */
export const DATABASE_FILE = 'clawdbot.db';

/** The shared SQLite database. */
export function databasePath(stateDir: string): string {
  return join(stateDir, DATABASE_FILE);
}

/** The database with its WAL and shared-memory files: all three hold transcripts. */
export function databaseFiles(stateDir: string): string[] {
  const db = databasePath(stateDir);
  return [db, `${db}-wal`, `${db}-shm`];
}

/**
 * `installation-id`: this installation's random id, written once, which labels every sandbox it
 * creates (`clawdbot.installation`), so two state directories on one engine tell theirs apart.
 */
export function installationIdFile(stateDir: string): string {
  return join(stateDir, 'installation-id');
}

/** `credentials/`: the linked WhatsApp device, the stored model key, legacy JSON stores. */
export function credentialsDir(stateDir: string): string {
  return join(stateDir, 'credentials');
}

/** Where the linked WhatsApp device's keys live: `credentials/whatsapp/`. */
export function whatsappAuthDir(stateDir: string): string {
  return join(credentialsDir(stateDir), 'whatsapp');
}

/** The model key encrypted with the OS keychain (desktop app): `credentials/model-key.bin`. */
export function modelKeyFile(stateDir: string): string {
  return join(credentialsDir(stateDir), 'model-key.bin');
}

/** The Telegram bot token encrypted with the OS keychain (desktop app): `credentials/telegram-token.bin`. */
export function telegramTokenKeychainFile(stateDir: string): string {
  return join(credentialsDir(stateDir), 'telegram-token.bin');
}

/** A JSON store of the reference implementation, imported once: `credentials/<provider>-<kind>.json`. */
export function legacyStoreFile(
  stateDir: string,
  provider: string,
  kind: 'allowFrom' | 'pairing',
): string {
  return join(credentialsDir(stateDir), `${provider}-${kind}.json`);
}

/**
 * Where `telegram.tokenFile` points: `~/…` is the home directory; a relative path is relative to
 * the state directory, where the config file lives by default (the gateway's working directory
 * is not meaningful to the owner).
 */
export function resolveTokenPath(file: string, stateDir: string): string {
  if (file === '~' || file.startsWith('~/')) return join(homedir(), file.slice(1));
  return isAbsolute(file) ? file : resolve(stateDir, file);
}

/** `sandboxes/`: the sandbox workspaces, one directory per scope key. */
export function sandboxesDir(stateDir: string): string {
  return join(stateDir, 'sandboxes');
}

/** The file inside a sandbox workspace directory holding its size-limited ext4 filesystem. */
export const WORKSPACE_IMAGE_FILE = 'clawdbot-workspace.ext4';

/**
 * Where a sandbox workspace's last use is recorded. Docker labels cannot change after creation,
 * so the last use lives beside the workspaces (never inside one, where the sandbox could forge
 * it) as the mtime of `sandboxes/.last-used/<id>`, which survives gateway restarts.
 */
export function lastUsedFileFor(workspaceDir: string): string {
  return join(dirname(workspaceDir), '.last-used', basename(workspaceDir));
}

/** `workspace/`: the working directory of tools that run on the host (the owner's session). */
export function hostWorkspaceDir(stateDir: string): string {
  return join(stateDir, 'workspace');
}

/** `gateways/`: one `<pid>.json` lock file per running gateway. */
export function gatewayLockDir(stateDir: string): string {
  return join(stateDir, 'gateways');
}

/** Where the control socket lives: inside the 0700 state directory, so only the owner can connect. */
export function controlSocketPath(stateDir: string): string {
  if (process.platform === 'win32') {
    return `\\\\.\\pipe\\clawdbot-${Buffer.from(stateDir).toString('base64url').slice(-40)}`;
  }
  return join(stateDir, 'supervisor.sock');
}

/** Where logs go unless `logging.file` says otherwise; `YYYY-MM-DD` becomes the day. */
export const DEFAULT_LOG_FILE_PATTERN = '/tmp/clawdbot/clawdbot-YYYY-MM-DD.log';

/** Where logs go when the configured directory is refused: `logs/`, same file names. */
export function fallbackLogPattern(stateDir: string, configured: string): string {
  return join(stateDir, 'logs', basename(configured));
}
