import { describeDockerError, DOCKER_GROUP_FIX } from '../../docker/docker-errors.js';
import { defineCheck } from '../doctor-context.js';
import { describeEngineAddress } from '../../../src-shared/format/engine-address.js';
import { engineName } from '../../docker/engine-kind.js';

/** What to do about an engine that did not answer, by how it failed. */
function engineFix(error: unknown, endpoint: string): string {
  const code = (error as { code?: unknown } | null)?.code;
  switch (code) {
    case 'EACCES':
      return DOCKER_GROUP_FIX;
    case 'ENOENT':
      return `nothing listens at ${endpoint}: install Docker (Debian: \`sudo apt-get install docker.io\`) and start it (\`sudo systemctl start docker\`), or point DOCKER_HOST at your engine`;
    case 'ECONNREFUSED':
      return 'start the Docker engine (`sudo systemctl start docker`), or point DOCKER_HOST at your engine';
    default:
      return `make sure the engine at ${endpoint} runs and answers (\`docker info\`), or point DOCKER_HOST at your engine`;
  }
}

/**
 * The Docker engine sandboxes run on: reachable, and its version. A problem only when some
 * session is sandboxed (`agent.sandbox.mode` not `off`): their tools are refused without it.
 */
export const checkDockerEngine = defineCheck(
  'docker.engine',
  'Docker engine',
  (_context, facts, o) => {
    const { engine } = facts;
    if (engine.ok) {
      const where = engine.address ? describeEngineAddress(engine.address) : engine.endpoint;
      const count =
        engine.sandboxes === undefined || engine.sandboxes === null
          ? ''
          : `; ${engine.sandboxes} sandbox${engine.sandboxes === 1 ? '' : 'es'} of this installation`;
      return o.ok(`${engineName(engine.kind)} ${engine.version} at ${where}${count}`);
    }
    const summary = `not reachable at ${engine.endpoint}: ${describeDockerError(engine.error)}`;
    const fix = engineFix(engine.error, engine.endpoint);
    if (facts.config.config.agent.sandbox.mode === 'off') {
      return o.info(`${summary} (no session is sandboxed: agent.sandbox.mode is off)`, fix);
    }
    return o.error(`${summary}; sandboxed sessions' tools are refused until it answers`, fix);
  },
);
