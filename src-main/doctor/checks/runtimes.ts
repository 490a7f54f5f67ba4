import { defineCheck } from '../doctor-context.js';

/**
 * The engine's container runtimes. gVisor's `runsc` would put a second kernel between a sandbox
 * and the host; this version runs sandboxes with the engine's default runtime either way, so it
 * is reported, never a problem.
 */
export const checkRuntimes = defineCheck(
  'docker.runtimes',
  'Container runtimes',
  (_context, facts, o) => {
    const { engine } = facts;
    if (!engine.ok) return o.info('not checked: Docker is not reachable');
    const list = engine.runtimes.length > 0 ? engine.runtimes.join(', ') : 'none listed';
    if (engine.runtimes.includes('runsc')) {
      return o.ok(`${list} (gVisor's runsc is available)`);
    }
    return o.info(
      `${list}; gVisor (runsc) is not installed: optional, and this version runs sandboxes with the engine's default runtime`,
    );
  },
);
