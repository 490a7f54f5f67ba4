import type { SandboxDockerConfig } from '../../src-shared/config/sandbox-schema.js';
import type { Finding } from '../../src-shared/domain/audit.js';
import { MESSAGING_PROVIDERS } from '../../src-shared/domain/providers.js';
import { configCheck, listWords, type Check } from './finding-helpers.js';
import { secretEnvNames } from '../secret-registry.js';

/** Above these, a limit no longer stops a fork bomb or a memory hog before the host suffers. */
export const MAX_SANE_PIDS = 4096;
/** See {@link MAX_SANE_PIDS}. */
export const MAX_SANE_MEMORY_MIB = 16_384;

// Variable names that announce a credential; anything in the sandbox can read and send them.
const SECRET_NAME = /(KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH)/i;

/** `agent.sandbox.mode`: off puts everyone's tools on the host; non-main leaves `main` there. */
export const checkSandboxMode: Check = configCheck((config) => {
  const { mode } = config.agent.sandbox;
  if (mode === 'off') {
    return [
      {
        id: 'sandbox.off',
        severity: 'high',
        title: 'tools run on the host for every session',
        meaning:
          'With agent.sandbox.mode "off", every session\'s shell and file tools (strangers\' sessions included) run directly on this machine as you.',
        fix: 'Set agent.sandbox.mode to "non-main" (the default) or "all", and build the image with `clawdbot sandbox image build`.',
        fixable: false,
        path: 'agent.sandbox.mode',
      },
    ];
  }
  const open = MESSAGING_PROVIDERS.filter((p) => config[p].dmPolicy === 'open');
  if (mode === 'non-main' && open.length > 0) {
    return [
      {
        id: 'sandbox.main-on-host',
        severity: 'medium',
        title: 'the unsandboxed main session is one owner id away from strangers',
        meaning: `The main session runs tools on the host, and with open DMs on ${listWords(open)} anyone can write to the bot: only the owner-id match keeps them out of main, so one wrong id in owner.* hands a stranger your machine.`,
        fix: 'Set agent.sandbox.mode to "all" so main is sandboxed too, or close the DMs (dmPolicy "pairing" or "allowlist").',
        fixable: false,
        path: 'agent.sandbox.mode',
      },
    ];
  }
  return [];
});

// `secretNames`: the environment variables the secret registry knows, for this config.
type Override = (docker: SandboxDockerConfig, secretNames: ReadonlySet<string>) => Finding | null;

const dockerPath = (key: string): string => `agent.sandbox.docker.${key}`;

const overrides: Override[] = [
  (d) =>
    d.network === 'none'
      ? null
      : {
          id: 'sandbox.network',
          // The host's network namespace also exposes every service listening on loopback.
          severity: d.network === 'host' ? 'high' : 'medium',
          title: `sandboxes have network access ("${d.network}")`,
          meaning:
            'A command in a sandbox can reach the network, so a prompt-injected command can download tools or send your workspace files anywhere.',
          fix: 'Set agent.sandbox.docker.network to "none" (the default) or remove the key.',
          fixable: false,
          path: dockerPath('network'),
        },
  (d) =>
    d.readOnlyRoot
      ? null
      : {
          id: 'sandbox.writable-root',
          severity: 'low',
          title: 'sandboxes can write to their root filesystem',
          meaning:
            "Commands can change the image's programs inside a container, so whatever one session plants there persists for the container's life.",
          fix: 'Set agent.sandbox.docker.readOnlyRoot to true (the default); add writable paths to tmpfs instead.',
          fixable: false,
          path: dockerPath('readOnlyRoot'),
        },
  (d) =>
    d.capDrop.some((c) => c.toUpperCase() === 'ALL')
      ? null
      : {
          id: 'sandbox.capabilities',
          severity: 'medium',
          title: 'sandboxes keep Linux capabilities',
          meaning:
            "agent.sandbox.docker.capDrop does not drop ALL, so processes in the sandbox keep Docker's default capabilities (raw sockets, chown, setuid and more), which widen any container escape.",
          fix: 'Set agent.sandbox.docker.capDrop to ["ALL"] (the default).',
          fixable: false,
          path: dockerPath('capDrop'),
        },
  (d) =>
    d.noNewPrivileges
      ? null
      : {
          id: 'sandbox.new-privileges',
          severity: 'medium',
          title: 'sandboxed processes may gain privileges',
          meaning:
            'Without no-new-privileges, a setuid program in the image can turn a sandboxed command into root inside the container.',
          fix: 'Set agent.sandbox.docker.noNewPrivileges to true (the default).',
          fixable: false,
          path: dockerPath('noNewPrivileges'),
        },
  (d) =>
    /^0(:\d+)?$/.test(d.user)
      ? {
          id: 'sandbox.root-user',
          severity: 'high',
          title: 'sandboxes run as root',
          meaning:
            'agent.sandbox.docker.user is uid 0, so commands run as root in the container, one kernel bug away from root on the host, and the workspace fills with root-owned files.',
          fix: 'Set agent.sandbox.docker.user to "auto" (the default) or a non-zero uid.',
          fixable: false,
          path: dockerPath('user'),
        }
      : null,
  (d) => {
    const loose = [
      d.pidsLimit > MAX_SANE_PIDS ? `pidsLimit ${d.pidsLimit}` : null,
      d.memoryMiB > MAX_SANE_MEMORY_MIB ? `memoryMiB ${d.memoryMiB}` : null,
    ].filter((x): x is string => x !== null);
    if (loose.length === 0) return null;
    return {
      id: 'sandbox.limits',
      severity: 'low',
      title: 'sandbox limits are effectively off',
      meaning: `With ${listWords(loose)}, a fork bomb or runaway command in a sandbox can exhaust the host before the limit stops it.`,
      fix: `Lower agent.sandbox.docker.pidsLimit to ${MAX_SANE_PIDS} or less and memoryMiB to ${MAX_SANE_MEMORY_MIB} or less (defaults: 256 and 512).`,
      fixable: false,
      path: dockerPath(d.pidsLimit > MAX_SANE_PIDS ? 'pidsLimit' : 'memoryMiB'),
    };
  },
  (d, secretNames) => {
    const names = Object.keys(d.env).filter(
      (name) => SECRET_NAME.test(name) || secretNames.has(name),
    );
    if (names.length === 0) return null;
    return {
      id: 'sandbox.env-secret',
      severity: 'medium',
      title: 'sandboxes are given credentials',
      meaning: `agent.sandbox.docker.env sets ${listWords(names)}, which every command in every sandbox (a prompt-injected one included) can read and send away.`,
      fix: 'Remove credentials from agent.sandbox.docker.env; run what needs them on the host, where you decide.',
      fixable: false,
      path: dockerPath(`env.${names[0]}`),
    };
  },
];

/** Docker overrides that widen the sandbox; only meaningful while something runs in one. */
export const checkSandboxOverrides: Check = configCheck((config) => {
  if (config.agent.sandbox.mode === 'off') return [];
  const docker = config.agent.sandbox.docker;
  // The registry's variables, and the one agent.model.apiKeyEnv names, whatever they are called.
  const secretNames = new Set(secretEnvNames(config.agent.model?.apiKeyEnv));
  return overrides
    .map((override) => override(docker, secretNames))
    .filter((f): f is Finding => f !== null);
});
