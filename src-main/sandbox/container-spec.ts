import { createHash } from 'node:crypto';
import type Docker from 'dockerode';
import { INSTALLATION_LABEL, SANDBOX_LABEL, SESSION_KEY_LABEL } from '../docker/sandbox-labels.js';
import { SANDBOX_WORKDIR } from './image-recipe.js';
import type {
  SandboxDockerConfig,
  SandboxWorkspaceConfig,
} from '../../src-shared/config/sandbox-schema.js';
import { dockerUser, type SandboxUser } from './sandbox-user.js';

/** When the container was created (ms since the epoch). */
export const CREATED_AT_LABEL = 'clawdbot.createdAtMs';
/**
 * A hash of everything the container was created from; a container whose hash differs from
 * the current config is replaced, so tightening the config takes effect on the next tool call.
 */
export const SPEC_HASH_LABEL = 'clawdbot.specHash';
/** The workspace's host directory (its image is inside), so `list` and `prune` can report it. */
export const WORKSPACE_LABEL = 'clawdbot.workspaceDir';
/**
 * The loop device the container's workspace volume mounts. Checked against the device that
 * holds the workspace's image before the container is started again: after a reboot the same
 * number may hold another workspace's image.
 */
export const WORKSPACE_DEVICE_LABEL = 'clawdbot.workspaceDevice';

/**
 * The workspace's mount options: no device files, no setuid; `discard` hands the blocks of
 * deleted files back to the host (the loop device punches holes in the image).
 */
export const WORKSPACE_MOUNT_OPTIONS = 'nosuid,nodev,discard';

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
  /** The installation creating it (see installation-id.ts), which its label names. */
  installationId: string;
  workspaceDir: string;
  /**
   * What holds the workspace's filesystem (see workspace-image.ts): the loop device, or for
   * Podman the image file, which `workspaceVolume` mounts.
   */
  workspaceDevice: string;
  /**
   * Podman only: the named volume that mounts the workspace's image file, created beforehand
   * from {@link podmanWorkspaceVolume}. Unset: an anonymous volume of the loop device.
   */
  workspaceVolume?: string;
  config: SandboxDockerConfig;
  workspace: SandboxWorkspaceConfig;
  user: SandboxUser;
  createdAtMs: number;
}

/**
 * The hash stored in {@link SPEC_HASH_LABEL}: config (setupCommand and the workspace limit
 * included), user, workspace. Not the loop device, which is checked on its own before a start.
 */
export function containerSpecHash(
  input: Omit<
    ContainerSpecInput,
    'createdAtMs' | 'name' | 'workspaceDevice' | 'workspaceVolume' | 'installationId'
  >,
): string {
  return createHash('sha1')
    .update(
      JSON.stringify([
        input.config,
        input.user,
        input.workspaceDir,
        input.scopeKey,
        input.workspace,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
}

/**
 * The container a sandbox runs in. The only mount is the workspace at /workspace (no Docker
 * socket, no home): an anonymous `local` volume of the workspace's loop device, an ext4 of
 * exactly the size limit, so the kernel refuses writes past it; it goes with the container,
 * while the filesystem image stays. The root filesystem is read-only; no capabilities, no privilege gain, no
 * network; a numeric non-root user; pids, memory (swap included) and CPU limits; and an init
 * process, so the zombies of killed commands are reaped instead of eating the pids limit. It
 * runs under `agent.sandbox.docker.runtime` when set (gVisor's `runsc`), and is labelled with
 * its installation so only that installation lists, prunes and kills it.
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
      [INSTALLATION_LABEL]: input.installationId,
      [SESSION_KEY_LABEL]: input.scopeKey,
      [CREATED_AT_LABEL]: String(input.createdAtMs),
      [SPEC_HASH_LABEL]: containerSpecHash(input),
      [WORKSPACE_LABEL]: input.workspaceDir,
      [WORKSPACE_DEVICE_LABEL]: input.workspaceDevice,
    },
    HostConfig: {
      // Only when configured: otherwise the engine's default runtime, as before.
      ...(config.runtime !== undefined ? { Runtime: config.runtime } : {}),
      Mounts: [workspaceMount(input)],
      ReadonlyRootfs: config.readOnlyRoot,
      Tmpfs: Object.fromEntries(config.tmpfs.map((path) => [path, TMPFS_OPTIONS])),
      NetworkMode: config.network,
      CapDrop: config.capDrop,
      SecurityOpt: config.noNewPrivileges ? ['no-new-privileges'] : [],
      Privileged: false,
      PidsLimit: config.pidsLimit,
      Ulimits: sandboxUlimits(config.ulimits),
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

/** The engine's form of `agent.sandbox.docker.ulimits`: soft and hard alike. */
export function sandboxUlimits(
  limits: SandboxDockerConfig['ulimits'],
): { Name: string; Soft: number; Hard: number }[] {
  return [
    { Name: 'nofile', Soft: limits.nofile, Hard: limits.nofile },
    { Name: 'nproc', Soft: limits.nproc, Hard: limits.nproc },
  ];
}

/** The sandbox's /workspace: the Podman volume when there is one, else the loop device's. */
function workspaceMount(input: ContainerSpecInput): Docker.MountSettings {
  if (input.workspaceVolume !== undefined) {
    return {
      Type: 'volume',
      Source: input.workspaceVolume,
      Target: SANDBOX_WORKDIR,
      ReadOnly: false,
    };
  }
  return {
    Type: 'volume',
    // No name: an anonymous volume, removed with the container (`v: true`).
    Source: '',
    Target: SANDBOX_WORKDIR,
    ReadOnly: false,
    VolumeOptions: {
      NoCopy: true,
      Labels: {
        [SANDBOX_LABEL]: '1',
        [INSTALLATION_LABEL]: input.installationId,
        [WORKSPACE_LABEL]: input.workspaceDir,
      },
      DriverConfig: {
        Name: 'local',
        Options: { type: 'ext4', device: input.workspaceDevice, o: WORKSPACE_MOUNT_OPTIONS },
      },
    },
  };
}

/** The name of the Podman volume that mounts the workspace of the container `containerName`. */
export function podmanWorkspaceVolumeName(containerName: string): string {
  return `${containerName}-workspace`;
}

/**
 * The Podman volume that mounts a workspace's image file: Podman's `local` driver hands these
 * options to mount(8), whose `loop` attaches the file at each mount and detaches it at unmount
 * (so no device number can go stale), and the kernel refuses writes past the image's size.
 * Labelled like the sandbox, so the kill switch's sweep and pruning can find it.
 */
export function podmanWorkspaceVolume(
  input: Pick<ContainerSpecInput, 'name' | 'installationId' | 'workspaceDir' | 'workspaceDevice'>,
): Docker.VolumeCreateOptions {
  return {
    Name: podmanWorkspaceVolumeName(input.name),
    Driver: 'local',
    DriverOpts: {
      type: 'ext4',
      device: input.workspaceDevice,
      o: `loop,${WORKSPACE_MOUNT_OPTIONS}`,
    },
    Labels: {
      [SANDBOX_LABEL]: '1',
      [INSTALLATION_LABEL]: input.installationId,
      [WORKSPACE_LABEL]: input.workspaceDir,
    },
  };
}
