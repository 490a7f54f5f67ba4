import type { Config } from '../../src-shared/config/schema.js';
import {
  configuredLogPattern,
  resolveLogDestination,
  type LogDestination,
} from '../logging/log-destination.js';

/**
 * Where logs go for the config in force (a process's ConfigService): no file is read, so a
 * rejected edit keeps the logs where the last good config sends them, as the writers do. Only
 * looks: nothing is created.
 */
export function logDestinationFor(
  env: NodeJS.ProcessEnv,
  stateDir: string,
  config: Config,
): LogDestination {
  return resolveLogDestination(configuredLogPattern(env, config), stateDir, { prepare: false });
}
