/**
 * How the kill switch freezes a sandbox. `auto`: straight through the kernel's cgroup freezer
 * where this process can write the container's cgroup, else through the engine's pause API.
 * `engine`: always through the engine's pause API (for an owner who wants the engine to see
 * every pause in its events, or may not write cgroups by policy). Set with
 * `CLAWDBOT_SANDBOX_FREEZE`; the kill switch reads it where it runs, because it must work even
 * when the configuration file does not load.
 */
export type FreezeRoute = 'auto' | 'engine';

/** The environment variable that chooses the {@link FreezeRoute}. */
export const FREEZE_ROUTE_ENV = 'CLAWDBOT_SANDBOX_FREEZE';

let warned = false;

/**
 * The route `env` chooses: `auto` when unset. An unknown value never stops a kill: it means
 * `auto`, said once on stderr naming the variable and what it accepts.
 */
export function freezeRouteFromEnv(env: NodeJS.ProcessEnv = process.env): FreezeRoute {
  const value = env[FREEZE_ROUTE_ENV];
  if (value === undefined || value === '' || value === 'auto') return 'auto';
  if (value === 'engine') return 'engine';
  if (!warned) {
    warned = true;
    process.stderr.write(
      `${FREEZE_ROUTE_ENV}=${JSON.stringify(value)} is not one of "auto" or "engine"; freezing sandboxes the "auto" way\n`,
    );
  }
  return 'auto';
}
