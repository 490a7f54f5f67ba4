import { defineCheck } from '../doctor-context.js';

const FIX = 'correct the file: `clawdbot config validate` lists every error with its key path';

/** The config file: valid, or rejected and which config is in force instead. */
export const checkConfigFile = defineCheck('config', 'Config', (_context, facts, o) => {
  const state = facts.config;
  if (state.errors === null) {
    return o.ok(
      facts.files.configText === null
        ? `no file at ${state.path}: the safe defaults are in force`
        : `${state.path} is valid and in force`,
    );
  }
  const why = state.errors[0] ?? 'unreadable';
  const more = state.errors.length > 1 ? ` (and ${state.errors.length - 1} more)` : '';
  if (state.source === 'last-good') {
    const since =
      state.lastGoodAt === null ? '' : ` from ${new Date(state.lastGoodAt).toISOString()}`;
    return o.error(
      `${state.path} is rejected: ${why}${more}; the last good config${since} is in force`,
      FIX,
    );
  }
  return o.error(
    `${state.path} is rejected: ${why}${more}; no good config was ever seen, so the safe defaults are in force and no messenger connects`,
    FIX,
  );
});
