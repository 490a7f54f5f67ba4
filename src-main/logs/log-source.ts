import { resolveConfigPath } from '../config/config-path.js';
import { loadConfig, loadConfigSync, type ConfigResult } from '../config/load-config.js';
import { DEFAULT_LOG_FILE_PATTERN } from '../logging/log-paths.js';
import { resolveStateDir } from '../store/state-dir.js';

/** The environment variable that overrides `logging.file` (the writer reads it too). */
export const LOG_FILE_ENV = 'CLAWDBOT_LOG_FILE';

function pick(env: NodeJS.ProcessEnv, loaded: ConfigResult): string {
  const fromEnv = env[LOG_FILE_ENV]?.trim();
  if (fromEnv) return fromEnv;
  // A broken config still has logs worth reading: fall back to where they go by default.
  return (loaded.ok ? loaded.config.logging.file : undefined) ?? DEFAULT_LOG_FILE_PATTERN;
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
