import type { Config } from '../../src-shared/config/schema.js';
import { loadConfig, loadConfigSync, type ConfigResult } from '../config/load-config.js';
import {
  configuredLogPattern,
  LOG_FILE_ENV,
  resolveLogDestination,
  type LogDestination,
} from '../logging/log-destination.js';
import { resolveStateDir, resolveConfigPath } from '../state-layout.js';

/**
 * Where the logs are: the configured pattern (a broken config still has logs worth reading, so
 * it counts as the default), or the fallback under the state directory when the writers refused
 * the configured directory. Only looks: nothing is created.
 */
function destinationOf(
  env: NodeJS.ProcessEnv,
  stateDir: string,
  loaded: ConfigResult | null,
): LogDestination {
  return logDestinationFor(env, stateDir, loaded?.ok ? loaded.config : null);
}

/**
 * Where logs go for a config already in force (a process's ConfigService): no file is read, so a
 * rejected edit keeps the logs where the last good config sends them.
 */
export function logDestinationFor(
  env: NodeJS.ProcessEnv,
  stateDir: string,
  config: Config | null,
): LogDestination {
  return resolveLogDestination(configuredLogPattern(env, config), stateDir, { prepare: false });
}

/** The log file pattern in force: where the writers put today's lines (see destinationOf). */
export async function resolveLogPattern(
  env: NodeJS.ProcessEnv = process.env,
  configPath = resolveConfigPath(resolveStateDir(env), env),
  stateDir = resolveStateDir(env),
): Promise<string> {
  const loaded = env[LOG_FILE_ENV]?.trim() ? null : await loadConfig(configPath);
  return destinationOf(env, stateDir, loaded).pattern;
}

/** Where logs go and why, synchronously (the CLI's `status`, the supervisor's snapshot). */
export function resolveLogDestinationSync(
  env: NodeJS.ProcessEnv = process.env,
  stateDir = resolveStateDir(env),
  configPath = resolveConfigPath(stateDir, env),
): LogDestination {
  const loaded = env[LOG_FILE_ENV]?.trim() ? null : loadConfigSync(configPath);
  return destinationOf(env, stateDir, loaded);
}
