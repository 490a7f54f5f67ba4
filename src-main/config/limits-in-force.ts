import type { LimitsConfig } from '../../src-shared/config/limits-schema.js';
import type { ConfigState } from './config-service.js';

/**
 * The limits a reader outside the gateway (the CLI, the supervisor) shows: those of the config in
 * force as the process's ConfigService has it — the file, or while the file is invalid the last
 * good config (what a gateway starting now runs on, and what a running one kept), or the
 * defaults when no good config was ever seen — with a warning saying which, when not the file.
 */
export function limitsInForce(state: ConfigState): {
  limits: LimitsConfig;
  warning: string | null;
} {
  const { limits } = state.config;
  const invalid = `the config file is invalid (${state.errors?.[0] ?? 'unreadable'})`;
  switch (state.source) {
    case 'file':
      return { limits, warning: null };
    case 'defaults':
      return { limits, warning: state.errors ? `${invalid}; showing the default limits` : null };
    case 'last-good':
      return {
        limits,
        warning: `${invalid}; showing the limits of the last good config${
          state.lastGoodAt === null ? '' : ` (from ${new Date(state.lastGoodAt).toISOString()})`
        }`,
      };
    default: {
      const unreachable: never = state.source;
      throw new Error(`unknown config source ${String(unreachable)}`);
    }
  }
}
