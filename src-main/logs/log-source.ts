import type { Config } from '../../src-shared/config/schema.js';
import { resolveConfigPath } from '../config/config-path.js';
import { loadConfig, loadConfigSync, type ConfigResult } from '../config/load-config.js';
import { DEFAULT_LOG_FILE_PATTERN } from '../logging/log-paths.js';
import { resolveStateDir } from '../store/state-dir.js';

/** The environment variable that overrides `logging.file` (the writer reads it too). */
export const LOG_FILE_ENV = 'CLAWDBOT_LOG_FILE';

/** The log file pattern for a config in force: `$CLAWDBOT_LOG_FILE`, else `logging.file`, else the default. */
export function logPatternFor(env: NodeJS.ProcessEnv, config: Config | null): string {
  return env[LOG_FILE_ENV]?.trim() || config?.logging.file || DEFAULT_LOG_FILE_PATTERN;
}

function pick(env: NodeJS.ProcessEnv, loaded: ConfigResult): string {
  // A broken config still has logs worth reading: fall back to where they go by default.
  return logPatternFor(env, loaded.ok ? loaded.config : null);
}

/** The log file pattern in force: `$CLAWDBOT_LOG_FILE`, else `logging.file`, else the default. */
export async function resolveLogPattern(
  env: NodeJS.ProcessEnv = process.env,
  configPath = resolveConfigPath(resolveStateDir(env), env),
): Promise<string> {
  if (env[LOG_FILE_ENV]?.trim()) return pick(env, { ok: false, path: configPath, errors: [] });
  return pick(env, await loadConfig(configPath));
}

/** The same, synchronously, for the CLI. */
export function resolveLogPatternSync(env: NodeJS.ProcessEnv = process.env): string {
  if (env[LOG_FILE_ENV]?.trim()) return pick(env, { ok: false, path: '', errors: [] });
  return pick(env, loadConfigSync(resolveConfigPath(resolveStateDir(env), env)));
}
