import { defineCheck } from '../doctor-context.js';
import {
  GVISOR_RUNTIME,
  UNSET_RUNTIME_FIX,
  missingRuntimeSummary,
  registerRuntimeFix,
} from '../../docker/engine-runtime.js';

/**
 * The engine's container runtimes against `agent.sandbox.docker.runtime`. A configured runtime
 * the engine does not list refuses every sandboxed tool call, so it is an error naming how to
 * register it; gVisor's `runsc` (a second kernel between a sandbox and the host) available but
 * unused is worth knowing, never a problem.
 */
export const checkRuntimes = defineCheck(
  'docker.runtimes',
  'Container runtimes',
  (_context, facts, o) => {
    const { engine } = facts;
    if (!engine.ok) return o.info('not checked: Docker is not reachable');
    const { runtimes } = engine;
    const list = runtimes.length > 0 ? runtimes.join(', ') : 'none listed';
    const configured = facts.config.config.agent.sandbox.docker.runtime;
    if (configured !== undefined) {
      if (runtimes.includes(configured)) return o.ok(`${list}; sandboxes run under ${configured}`);
      return o.error(
        `${missingRuntimeSummary({ configured, runtimes })}: sandboxed tools are refused`,
        `${registerRuntimeFix(configured)}; ${UNSET_RUNTIME_FIX}`,
      );
    }
    if (runtimes.includes(GVISOR_RUNTIME)) {
      return o.ok(
        `${list}; gVisor's runsc is available, unused: set agent.sandbox.docker.runtime to "runsc" to run sandboxes under it`,
      );
    }
    return o.info(
      `${list}; gVisor (runsc) is not installed: optional, sandboxes run under the engine's default runtime`,
    );
  },
);
