import type { Finding } from '../../src-shared/domain/audit.js';
import { capabilityNames } from '../process/container-environment.js';
import { isLoopbackHost } from '../../src-shared/net/loopback.js';
import type { AuditInput, ContainerFactSelf } from './audit-input.js';
import { listWords, type Check } from './finding-helpers.js';

/**
 * Checks of the container the gateway runs in (Option A), from the inside: the container is
 * the host boundary only if it is hardened as compose.yaml sets it up. Each finding's fix names
 * the compose.yaml key that restores it.
 */

function container(input: AuditInput): ContainerFactSelf | null {
  return input.container ?? null;
}

/** Says that the audit knows where it runs, what it checked and what it cannot see. */
export const checkContainerInside: Check = (input) => {
  const self = container(input);
  if (!self) return [];
  return [
    {
      id: 'container.inside',
      severity: 'info',
      title: 'the gateway runs in a container',
      meaning: `Detected by ${self.marker}. Checked from the inside: the root filesystem, capabilities, user, no-new-privileges, mounted engine sockets and home directories, and the web UI's published address as compose.yaml declares it (CLAWDBOT_WEB_PUBLISH). Not visible from here: the engine's real port mappings, seccomp and AppArmor profiles, and the host paths behind mounts of filesystems other than the host's root.`,
      fix: 'Nothing to do; run `docker inspect` on the host to see what the inside cannot.',
      fixable: false,
    },
  ];
};

/** Root inside the container: with any capability or a kernel bug, root on the host is close. */
export const checkContainerUser: Check = (input) => {
  const self = container(input);
  if (!self || self.uid !== 0) return [];
  return [
    {
      id: 'container.root-user',
      severity: 'high',
      title: 'the gateway runs as root in its container',
      meaning:
        'Every command of the owner\u2019s host tools runs as root inside the container; any capability left, or a kernel flaw, is then a step from root on the host.',
      fix: "Run it as the image's user: `user: '10001:10001'` in compose.yaml (the image's default).",
      fixable: false,
      path: 'compose.yaml: user',
    },
  ];
};

/** Capabilities held now, or gainable through a setuid binary. */
export const checkContainerCapabilities: Check = (input) => {
  const self = container(input);
  if (!self) return [];
  const { capEff, capBnd, noNewPrivs } = self.privileges;
  const findings: Finding[] = [];
  if (capEff !== 0n) {
    findings.push({
      id: 'container.capabilities',
      severity: 'high',
      title: 'the gateway holds Linux capabilities',
      meaning: `It can use ${listWords(capabilityNames(capEff))}: powers the gateway never needs, and the first things an attacker who gets a shell in it would use.`,
      fix: 'Drop them all: `cap_drop: [ALL]` in compose.yaml, and no `cap_add`.',
      fixable: false,
      path: 'compose.yaml: cap_drop',
    });
  }
  if (!noNewPrivs) {
    findings.push({
      id: 'container.new-privileges',
      severity: capBnd !== 0n ? 'high' : 'medium',
      title: 'processes in the container may gain privileges',
      meaning:
        capBnd !== 0n
          ? `no-new-privileges is off and the bounding set still holds ${listWords(capabilityNames(capBnd))}: a setuid binary in the image would run with them.`
          : 'no-new-privileges is off: a setuid or file-capability binary could raise a process above the user it started as.',
      fix: "Set `security_opt: ['no-new-privileges:true']` in compose.yaml.",
      fixable: false,
      path: 'compose.yaml: security_opt',
    });
  }
  return findings;
};

/** A writable root: the agent could change the app's own code and binaries until recreated. */
export const checkContainerReadOnlyRoot: Check = (input) => {
  const self = container(input);
  if (!self || self.readOnlyRoot) return [];
  return [
    {
      id: 'container.root-writable',
      severity: 'medium',
      title: "the container's root filesystem is writable",
      meaning:
        'A command run by the owner\u2019s session (or an injected one) could change the gateway\u2019s own code, Node or the tools it calls, and the change would last until the container is recreated.',
      fix: 'Set `read_only: true` in compose.yaml; only /data (the volume) and the /tmp tmpfs need writing.',
      fixable: false,
      path: 'compose.yaml: read_only',
    },
  ];
};

/** An engine's socket mounted in: whoever controls the gateway controls the host. */
export const checkContainerEngineSocket: Check = (input) => {
  const self = container(input);
  if (!self) return [];
  return self.socketMounts.map((socket) => ({
    id: 'container.engine-socket',
    severity: 'high',
    title: `a container engine socket is mounted at ${socket}`,
    meaning:
      'Through it, anything running in the gateway (the owner\u2019s host tools, or an injected command) can start a privileged container with the host\u2019s root filesystem: the container is no longer a boundary. Sandbox workspaces are created as engine-side volumes here, so sandboxes still work.',
    fix: 'Remove the socket from `volumes:` in compose.yaml; give sandboxes a separate engine over the network (DOCKER_HOST), as the commented block in compose.yaml shows.',
    fixable: false,
    path: socket,
  }));
};

/** A home directory mounted in: everything in it is reachable by the agent. */
export const checkContainerHomeMount: Check = (input) => {
  const self = container(input);
  if (!self) return [];
  return self.homeMounts.map((mount) => ({
    id: 'container.home-mounted',
    severity: 'high',
    title: `a home directory is mounted at ${mount.mountPoint}`,
    meaning: `${mount.root} (on the host) is reachable by the owner\u2019s host tools and by anything injected into them: keys, shell history, other projects. Treat every mount as reachable by the agent.`,
    fix: 'Mount only what the gateway needs (the /data volume, a read-only config file) and never a home directory.',
    fixable: false,
    path: mount.mountPoint,
  }));
};

/** The web UI published beyond loopback (as declared), or its publication unknown. */
export const checkContainerWebPublish: Check = (input) => {
  const self = container(input);
  if (!self) return [];
  const published = self.webPublish;
  if (published !== null && !isLoopbackHost(published)) {
    return [
      {
        id: 'container.web-published',
        severity: 'high',
        title: `the web UI is published on ${published}, beyond this machine`,
        meaning:
          'Anyone who can reach that address and learns the token (it travels in clear over plain HTTP) controls the gateway, the allowlists and the kill switch.',
        fix: 'Remove CLAWDBOT_WEB_PUBLISH from .env (compose.yaml then publishes on 127.0.0.1) and reach the UI through an SSH tunnel.',
        fixable: false,
        path: 'CLAWDBOT_WEB_PUBLISH',
      },
    ];
  }
  if (published === null && input.webHost !== null && !isLoopbackHost(input.webHost)) {
    return [
      {
        id: 'container.web-publish-unknown',
        severity: 'low',
        title: 'where the web UI is published cannot be seen from inside',
        meaning: `It listens on ${input.webHost} inside the container; whether the engine publishes that port on the host's loopback or beyond is decided outside, and CLAWDBOT_WEB_PUBLISH does not say.`,
        fix: "Publish it as compose.yaml does ('127.0.0.1:18790:18790') and set CLAWDBOT_WEB_PUBLISH to the same address, so the audit can check it.",
        fixable: false,
        path: 'CLAWDBOT_WEB_PUBLISH',
      },
    ];
  }
  return [];
};

/** The checks of the gateway's own container (Option A); each is silent outside a container. */
export const CONTAINER_SELF_CHECKS: readonly Check[] = [
  checkContainerInside,
  checkContainerUser,
  checkContainerCapabilities,
  checkContainerReadOnlyRoot,
  checkContainerEngineSocket,
  checkContainerHomeMount,
  checkContainerWebPublish,
];
