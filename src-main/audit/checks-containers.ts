import type { Finding } from '../../src-shared/domain/audit.js';
import type { AuditInput, ContainerFact } from './audit-input.js';
import { configCheck, listWords, type Check } from './finding-helpers.js';

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
