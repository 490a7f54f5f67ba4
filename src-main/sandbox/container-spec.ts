import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { SANDBOX_LABEL, SESSION_KEY_LABEL } from '../supervisor/sandbox-labels.js';
import { SANDBOX_WORKDIR } from './image-recipe.js';
import type { SandboxDockerConfig } from '../../src-shared/config/sandbox-schema.js';
import { dockerUser, type SandboxUser } from './sandbox-user.js';

/** When the container was created (ms since the epoch). */
export const CREATED_AT_LABEL = 'clawdbot.createdAtMs';
/**
 * A hash of everything the container was created from; a container whose hash differs from
 * the current config is replaced, so tightening the config takes effect on the next tool call.
 */
export const SPEC_HASH_LABEL = 'clawdbot.specHash';
/** The host directory mounted at /workspace, so `list` and `prune` can report it. */
export const WORKSPACE_LABEL = 'clawdbot.workspaceDir';

/** The PATH inside the sandbox (Debian's default). */
export const SANDBOX_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** The tmpfs mount options: writable scratch, no device files, no setuid; 64 MiB each. */
export const TMPFS_OPTIONS = 'rw,nosuid,nodev,size=64m';

/**
 * The sandbox's whole environment, as `KEY=value` lines: LANG, HOME and PATH, then the
 * configured entries. Deliberately built from nothing, never from `process.env`, so keys and
 * tokens in Clawdbot's environment cannot leak into a sandbox.
 */
export function sandboxEnv(config: Pick<SandboxDockerConfig, 'env'>): string[] {
  const env: Record<string, string> = {
    LANG: 'C.UTF-8',
    HOME: SANDBOX_WORKDIR,
    PATH: SANDBOX_PATH,
    ...config.env,
  };
  return Object.entries(env).map(([key, value]) => `${key}=${value}`);
}

/** What a container is created from. */
export interface ContainerSpecInput {
  name: string;
  scopeKey: string;
  workspaceDir: string;
  config: SandboxDockerConfig;
  user: SandboxUser;
  createdAtMs: number;
}

/** The hash stored in {@link SPEC_HASH_LABEL}: config (setupCommand included), user, workspace. */
export function containerSpecHash(input: Omit<ContainerSpecInput, 'createdAtMs' | 'name'>): string {
  return createHash('sha1')
    .update(JSON.stringify([input.config, input.user, input.workspaceDir, input.scopeKey]))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The container a sandbox runs in. The only mount is the workspace at /workspace (no Docker
 * socket, no home); the root filesystem is read-only; no capabilities, no privilege gain, no
 * network; a numeric non-root user; pids, memory (swap included) and CPU limits; and an init
 * process, so the zombies of killed commands are reaped instead of eating the pids limit.
 */
export function buildContainerSpec(input: ContainerSpecInput): Docker.ContainerCreateOptions {
  const { config } = input;
  const memoryBytes = config.memoryMiB * 1024 * 1024;
  return {
    name: input.name,
    Image: config.image,
    Cmd: ['sleep', 'infinity'],
    Entrypoint: [],
    User: dockerUser(input.user),
    WorkingDir: SANDBOX_WORKDIR,
    Env: sandboxEnv(config),
    Hostname: 'sandbox',
    NetworkDisabled: config.network === 'none',
    AttachStdin: false,
    AttachStdout: false,
    AttachStderr: false,
    Tty: false,
    OpenStdin: false,
    Labels: {
      [SANDBOX_LABEL]: '1',
      [SESSION_KEY_LABEL]: input.scopeKey,
      [CREATED_AT_LABEL]: String(input.createdAtMs),
      [SPEC_HASH_LABEL]: containerSpecHash(input),
      [WORKSPACE_LABEL]: input.workspaceDir,
    },
    HostConfig: {
      Mounts: [
        {
          Type: 'bind',
          Source: input.workspaceDir,
          Target: SANDBOX_WORKDIR,
          ReadOnly: false,
          BindOptions: { Propagation: 'rprivate' },
        },
      ],
      ReadonlyRootfs: config.readOnlyRoot,
      Tmpfs: Object.fromEntries(config.tmpfs.map((path) => [path, TMPFS_OPTIONS])),
      NetworkMode: config.network,
      CapDrop: config.capDrop,
      SecurityOpt: config.noNewPrivileges ? ['no-new-privileges'] : [],
      Privileged: false,
      PidsLimit: config.pidsLimit,
      Memory: memoryBytes,
      MemorySwap: memoryBytes,
      NanoCpus: Math.round(config.cpus * 1e9),
      Init: true,
      IpcMode: 'private',
      RestartPolicy: { Name: 'no' },
      AutoRemove: false,
    },
  };
}
