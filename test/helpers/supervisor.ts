import Docker from 'dockerode';
import { afterEach } from 'vitest';
import type { GatewayState } from '../../src-shared/domain/gateway.js';
import { createLogger } from '../../src-main/logging/logger.js';
import { createNodeGatewayLauncher } from '../../src-main/supervisor/node-gateway-launcher.js';
import { Supervisor } from '../../src-main/supervisor/supervisor.js';
import type { SupervisorOptions } from '../../src-main/supervisor/supervisor-options.js';
import { builtGateway } from './paths.js';
import { waitFor } from './wait.js';

/** A Docker client aimed at nothing: for tests whose kill switch must not touch the engine. */
export const unreachableDocker = (): Docker =>
  new Docker({ socketPath: '/nonexistent/docker.sock', timeout: 1000 });

/** Opens in-process supervisors for a test and closes them afterwards. */
export function useSupervisors(): (
  options: Partial<SupervisorOptions> & {
    stateDir: string;
    entry?: string;
    env?: NodeJS.ProcessEnv;
  },
) => Supervisor {
  const open: Supervisor[] = [];
  afterEach(async () => {
    for (const supervisor of open.splice(0)) await supervisor.close();
  });
  return ({ entry, ...options }) => {
    const supervisor = Supervisor.open({
      docker: unreachableDocker(),
      launch: createNodeGatewayLauncher({ entry: entry ?? builtGateway }),
      // Only what went wrong inside the supervisor, on the test's stderr.
      log: createLogger({ process: 'supervisor', level: 'warn' }),
      ...options,
    });
    open.push(supervisor);
    return supervisor;
  };
}

/** Waits until the supervisor's gateway reaches `state`. */
export function waitForState(supervisor: Supervisor, state: GatewayState, timeoutMs = 15_000) {
  return waitFor(
    `gateway state ${state}`,
    () => (supervisor.manager.status().state === state ? supervisor.manager.status() : null),
    timeoutMs,
  );
}

/** A fast restart policy so crash-loop tests do not wait a minute; same rules, shorter delays. */
export const fastPolicy = {
  backoffMs: [50, 100, 150, 200, 300],
  maxCrashes: 5,
  windowMs: 60_000,
  stableAfterMs: 60_000,
};
