import type { LimitsConfig } from '../../src-shared/config/limits-schema.js';
import { defaultConfig } from '../../src-shared/config/schema.js';
import { loadConfigSync } from './load-config.js';

/**
 * The limits a reader outside the gateway (the CLI, the supervisor) shows: the config file's,
 * or the defaults while the file is invalid, with the first reason why.
 */
export function limitsInForce(configPath: string): {
  limits: LimitsConfig;
  configError: string | null;
} {
  const loaded = loadConfigSync(configPath);
  if (loaded.ok) return { limits: loaded.config.limits, configError: null };
  return {
    limits: defaultConfig.limits,
    configError: `the config file is invalid (${loaded.errors[0] ?? 'unreadable'})`,
  };
}
