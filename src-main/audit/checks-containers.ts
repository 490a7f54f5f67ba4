import type { Finding } from '../../src-shared/domain/audit.js';
import type { AuditInput, ContainerFact } from './audit-input.js';
import { configCheck, listWords, type Check } from './finding-helpers.js';
import { GVISOR_RUNTIME, UNSET_RUNTIME_FIX, registerRuntimeFix } from '../docker/engine-runtime.js';

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * Running sandbox containers checked against what Clawdbot creates (see container-spec.ts):
 * the config cannot ask for privileged mode, extra mounts or added capabilities, so any of
 * these means someone created or changed a container outside Clawdbot.
 */

const REMOVE =
  'Remove the container (`clawdbot sandbox stop <name>` or `docker rm -f <name>`); Clawdbot recreates it as configured on the next tool call. Then find out who changed it.';

function exposesDockerSocket(source: string): boolean {
  // Binding the directory holding the socket exposes it as much as binding the socket itself.
  return (
    source.endsWith('/docker.sock') || ['/run', '/var/run', '/var/run/docker'].includes(source)
  );
}

function exposesHome(source: string, homeDir: string): boolean {
  const dir = source.replace(/\/+$/, '') || '/';
  // Any user's home (or a directory above it) counts: other users' keys are no less secret.
  return (
    dir === '/' ||
    dir === homeDir ||
    homeDir.startsWith(`${dir}/`) ||
    /^\/(root|home(\/[^/]+)?)$/.test(dir)
  );
}

function containerFinding(
  id: string,
  containers: ContainerFact[],
  title: string,
  meaning: string,
  severity: Finding['severity'] = 'high',
): Finding[] {
  if (containers.length === 0) return [];
  const names = listWords(containers.map((c) => c.name));
  return [
    {
      id,
      severity,
      title,
      meaning: `${names}: ${meaning}`,
      fix: REMOVE,
      fixable: false,
      path: `container ${containers[0]?.name ?? ''}`,
    },
  ];
}

/** Widening found on running containers. */
export function checkContainers(input: AuditInput): Finding[] {
  if (!input.docker?.reachable) return [];
  const all = input.docker.containers;
  const expectedNetwork = input.config.ok
    ? input.config.config.agent.sandbox.docker.network
    : 'none';
  return [
    ...containerFinding(
      'container.privileged',
      all.filter((c) => c.privileged),
      'a sandbox container runs privileged',
      "a privileged container has every capability and the host's devices, so it is no sandbox at all.",
    ),
    ...containerFinding(
      'container.docker-socket',
      all.filter((c) => c.bindSources.some(exposesDockerSocket)),
      'a sandbox container can reach the Docker socket',
      "with the Docker socket, a command in the sandbox can start a container that mounts the host's root: full control of the machine.",
    ),
    ...containerFinding(
      'container.home-mount',
      all.filter((c) => c.bindSources.some((s) => exposesHome(s, input.homeDir))),
      'a sandbox container mounts your home directory',
      'your home directory (SSH keys, browser profiles, this state directory) is visible inside the sandbox.',
    ),
    ...containerFinding(
      'container.cap-add',
      all.filter((c) => c.capAdd.length > 0),
      'a sandbox container was given extra capabilities',
      'capabilities were added to the container beyond what Clawdbot creates it with.',
      'medium',
    ),
    ...containerFinding(
      'container.network',
      // A network the config asked for is reported once, by the config check.
      all.filter((c) => c.networkMode !== 'none' && c.networkMode !== expectedNetwork),
      'a sandbox container has a network the config did not ask for',
      'the container is attached to a network although the config says otherwise, so commands in it can reach other machines.',
      'medium',
    ),
  ];
}

/**
 * The sandbox runtime against the engine's: a configured runtime the engine does not list
 * refuses every sandboxed tool call (fail closed); gVisor listed but unused is a stronger wall
 * left on the table (a user-space kernel between a sandbox and the host's).
 */
export const checkEngineRuntime: Check = configCheck((config, input) => {
  if (config.agent.sandbox.mode === 'off' || !input.docker?.reachable) return [];
  const { runtimes } = input.docker;
  if (runtimes === undefined) return [];
  const configured = config.agent.sandbox.docker.runtime;
  const path = 'agent.sandbox.docker.runtime';
  if (configured !== undefined && !runtimes.includes(configured)) {
    return [
      {
        id: 'sandbox.runtime-missing',
        severity: 'medium',
        title: `the Docker engine has no runtime "${configured}"`,
        meaning: `agent.sandbox.docker.runtime asks for "${configured}", which the engine does not list (it has: ${listWords(runtimes)}), so every sandboxed tool call is refused until it does.`,
        fix: `${capitalize(registerRuntimeFix(configured))}; ${UNSET_RUNTIME_FIX}.`,
        fixable: false,
        path,
      },
    ];
  }
  if (configured === undefined && runtimes.includes(GVISOR_RUNTIME)) {
    return [
      {
        id: 'sandbox.gvisor-unused',
        severity: 'low',
        title: 'gVisor is available but sandboxes do not use it',
        meaning:
          "The engine lists gVisor's runtime (runsc), but sandboxes run under the engine's default, which shares the host's kernel: one kernel bug away from the host. Under gVisor, a sandbox's system calls go to a user-space kernel instead.",
        fix: 'Set agent.sandbox.docker.runtime to "runsc" (each sandbox is recreated under it on its next tool call; tool calls cost a little more).',
        fixable: false,
        path,
      },
    ];
  }
  return [];
});

/** Sandboxing is on but the engine cannot be reached: sandboxed tools fail, containers go unchecked. */
export const checkDockerReachable: Check = configCheck((config, input) => {
  if (config.agent.sandbox.mode === 'off' || !input.docker || input.docker.reachable) return [];
  return [
    {
      id: 'docker.unreachable',
      severity: 'medium',
      title: 'Docker is not reachable while sandboxing is on',
      meaning: `Sandboxed tool calls fail until Docker answers (${input.docker.error}), the kill switch cannot remove sandboxes, and running containers could not be checked.`,
      fix: 'Start Docker (and make sure this user may use it, e.g. the docker group), or point DOCKER_HOST at the engine.',
      fixable: false,
      path: 'agent.sandbox.mode',
    },
  ];
});
