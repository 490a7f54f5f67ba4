import { chmodSync, mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * The state directory: `$CLAWDBOT_STATE_DIR`, else `~/.clawdbot`. Everything Clawdbot keeps
 * (database, config, credentials, sandboxes) lives below it.
 */
export function resolveStateDir(env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['CLAWDBOT_STATE_DIR'];
  return fromEnv && fromEnv.trim() !== '' ? fromEnv : join(homedir(), '.clawdbot');
}

/**
 * Creates the state directory if needed and makes it private (0700): it holds credentials and
 * transcripts, so nobody else on the machine may list it.
 */
export function ensureStateDir(stateDir: string): string {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(stateDir, 0o700);
  return stateDir;
}
