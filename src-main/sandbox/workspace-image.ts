import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { DEFAULT_SANDBOX_IMAGE } from '../../src-shared/config/sandbox-schema.js';
import { WORKSPACE_IMAGE_FILE } from '../state-layout.js';
import { controlDeadline } from './docker-control.js';
import { describeDockerError, dockerStatus, isDockerUnreachable } from '../docker/docker-errors.js';
import {
  asSandboxUnavailable,
  dockerUnreachableError,
  imageMissingError,
} from './docker-failures.js';
import { ExecStreamDemuxer } from './exec-demux.js';
import { sandboxAssetsDir } from './image-recipe.js';
import { SandboxUnavailableError } from './sandbox-errors.js';
import { SANDBOX_PATH, sandboxUlimits } from './container-spec.js';
import { DEFAULT_SANDBOX_ULIMITS } from '../../src-shared/config/sandbox-schema.js';
import { dockerUser, type SandboxUser } from './sandbox-user.js';
import { type EngineKind, type EngineVersionInfo, engineKindOf } from '../docker/engine-kind.js';

/**
 * The file each workspace's filesystem lives in, inside its host directory
 * (`sandboxes/<id>/clawdbot-workspace.ext4`). A distinctive name, because the helper detaches
 * loop devices whose backing file of this name was deleted.
 */
/** The label on helper containers (never `clawdbot.sandbox`: a helper is not a sandbox). */
export const WORKSPACE_HELPER_LABEL = 'clawdbot.workspaceHelper';

/**
 * The image the helper runs in: our own sandbox image, whatever `agent.sandbox.docker.image`
 * says, because the helper needs its e2fsprogs and util-linux (a custom sandbox image need not
 * have them) and must be an image whose content Clawdbot built.
 */
export const WORKSPACE_HELPER_IMAGE = DEFAULT_SANDBOX_IMAGE;

/**
 * How long the helper may take: usually a fraction of a second, but growing a large workspace
 * checks and resizes its filesystem first.
 */
const HELPER_TIMEOUT_MS = 5 * 60_000;

/** Where the helper sees the workspace's host directory. */
const HELPER_MOUNT = '/ws';

/** The loop block devices (major 7), which the helper opens to attach and query. */
const LOOP_DEVICE_RULE = 'b 7:* rwm';

/** What the fix is when an engine cannot give workspaces a size limit. */
const UNSUPPORTED_FIX =
  'sandbox workspaces are size-limited filesystems (agent.sandbox.workspace.maxMiB) that need ' +
  'a rootful Docker engine on Linux with loop devices (/dev/loop-control) and ext4; run the ' +
  'sandboxes on such an engine (rootless engines cannot attach loop devices)';

let helperScript: string | undefined;

/** The helper's fixed program, assets/sandbox/workspace-helper.sh (read once). */
function workspaceHelperScript(): string {
  helperScript ??= readFileSync(join(sandboxAssetsDir(), 'workspace-helper.sh'), 'utf8');
  return helperScript;
}

/**
 * Where workspace images live. `host-dir`: in the workspace's directory under the state
 * directory, bind-mounted into the helper (the gateway and the engine share a filesystem).
 * `volume`: in a named volume of the engine, `clawdbot-ws-<id>`, for a gateway whose paths the
 * engine cannot see (the gateway in a container, talking to its host's engine through a
 * mounted socket: a bind of the gateway's `/data/...` would name a path on the engine's host).
 */
export type WorkspaceBacking = 'host-dir' | 'volume';

/** The label on workspace volumes, naming the workspace (`sandboxes/<id>` on the host-dir side). */
export const WORKSPACE_VOLUME_LABEL = 'clawdbot.workspace';

/** The named volume that holds a workspace's image under the `volume` backing. */
export function workspaceVolumeName(workspaceDir: string): string {
  return `clawdbot-ws-${basename(workspaceDir)}`;
}

/** The helper's mount of one workspace's image directory, for the backing in use. */
function workspaceMount(workspaceDir: string, backing: WorkspaceBacking): Docker.MountSettings {
  switch (backing) {
    case 'host-dir':
      return {
        Type: 'bind',
        Source: workspaceDir,
        Target: HELPER_MOUNT,
        ReadOnly: false,
        BindOptions: { Propagation: 'rprivate' },
      };
    case 'volume':
      // Created by the engine on first use, with these labels; kept when the helper goes.
      return {
        Type: 'volume',
        Source: workspaceVolumeName(workspaceDir),
        Target: HELPER_MOUNT,
        ReadOnly: false,
        VolumeOptions: {
          NoCopy: true,
          Labels: { [WORKSPACE_VOLUME_LABEL]: basename(workspaceDir) },
          DriverConfig: { Name: 'local', Options: {} },
        },
      };
    default: {
      const never: never = backing;
      throw new Error(`unknown workspace backing ${String(never)}`);
    }
  }
}

/**
 * What the helper is asked to do: prepare one workspace and attach it to a loop device
 * (`attach`), prepare only its image file (`image-only`: Podman mounts the file itself), or
 * only detach deleted ones (`sweep`).
 */
export type HelperRequest =
  | {
      kind: 'attach' | 'image-only';
      workspaceDir: string;
      maxMiB: number;
      user: SandboxUser;
      /** Default `host-dir`. */
      backing?: WorkspaceBacking;
    }
  | { kind: 'sweep' };

/**
 * What a sandbox's workspace volume mounts. `loop-device`: a loop device the helper attached,
 * mounted by Docker's `local` volume driver as an anonymous volume of the container. `image-file`:
 * the image file itself, for Podman, whose Docker-compatible API ignores an anonymous volume's
 * driver options (the sandbox would get an unlimited volume on the host's disk) and does not
 * pass device cgroup rules to the helper (it cannot attach a loop device); Podman mounts a named
 * volume with `o=loop` instead, which attaches the file at each mount and detaches it at unmount.
 */
export type WorkspaceSource =
  { kind: 'loop-device'; device: string } | { kind: 'image-file'; path: string };

/**
 * The container the helper runs in: root (it attaches loop devices and writes the image into a
 * directory of the host user), but with every capability dropped except MKNOD (device nodes
 * for loop devices in its own /dev) and DAC_OVERRIDE (the workspace directory belongs to the
 * host user); allowed the loop devices and nothing else of the host's; no network; the runc
 * runtime whatever the engine's default (gVisor cannot attach host loop devices); removed by
 * the engine as soon as it exits.
 */
export function helperContainerSpec(request: HelperRequest): Docker.ContainerCreateOptions {
  const args =
    request.kind === 'sweep'
      ? ['sweep']
      : [String(request.maxMiB), dockerUser(request.user), request.kind];
  return {
    Image: WORKSPACE_HELPER_IMAGE,
    Entrypoint: [],
    Cmd: ['bash', '-c', workspaceHelperScript(), 'workspace-helper', ...args],
    User: '0:0',
    Env: [
      `PATH=${SANDBOX_PATH}`,
      'LANG=C.UTF-8',
      `WORKSPACE_IMAGE=${HELPER_MOUNT}/${WORKSPACE_IMAGE_FILE}`,
    ],
    WorkingDir: '/',
    NetworkDisabled: true,
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    OpenStdin: false,
    Labels: { [WORKSPACE_HELPER_LABEL]: '1' },
    HostConfig: {
      Runtime: 'runc',
      AutoRemove: true,
      NetworkMode: 'none',
      ReadonlyRootfs: true,
      CapDrop: ['ALL'],
      CapAdd: ['MKNOD', 'DAC_OVERRIDE'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      Devices: [
        {
          PathOnHost: '/dev/loop-control',
          PathInContainer: '/dev/loop-control',
          CgroupPermissions: 'rwm',
        },
      ],
      DeviceCgroupRules: [LOOP_DEVICE_RULE],
      // A sweep sees no workspace at all; an attach sees only its own.
      Mounts:
        request.kind === 'sweep'
          ? []
          : [workspaceMount(request.workspaceDir, request.backing ?? 'host-dir')],
      PidsLimit: 64,
      // Explicit, like the sandbox's: Podman's own defaults exceed the hard limits of some hosts,
      // and then no container starts at all.
      Ulimits: sandboxUlimits(DEFAULT_SANDBOX_ULIMITS),
      // e2fsck and resize2fs of a large workspace need some room; nothing else does.
      Memory: 512 * 1024 * 1024,
      RestartPolicy: { Name: 'no' },
    },
  };
}

/**
 * Attaches workspace images to loop devices on the engine's host, through a short-lived helper
 * container (assets/sandbox/workspace-helper.sh): creates the image when missing, grows it when
 * the limit was raised, and returns the loop device that holds exactly this image. The engine
 * then mounts that device into the sandbox as a `local` volume, so the kernel itself refuses a
 * write past the limit (ENOSPC), whoever runs the gateway: the helper needs root on the
 * engine's side, not in the gateway.
 */
export class WorkspaceImages {
  private kind: Promise<EngineKind> | undefined;

  constructor(
    private readonly docker: Docker,
    /** Where the images live (see {@link WorkspaceBacking}). */
    readonly backing: WorkspaceBacking = 'host-dir',
  ) {}

  /** Which engine this is (asked once; a failed question is asked again next time). */
  engineKind(): Promise<EngineKind> {
    // dockerode's version() takes an abort signal like every call; its typings omit the options.
    const ask = this.docker.version.bind(this.docker) as (options: {
      abortSignal: AbortSignal;
    }) => Promise<EngineVersionInfo>;
    this.kind ??= ask({ abortSignal: controlDeadline() })
      .then(engineKindOf)
      .catch((error: unknown) => {
        this.kind = undefined;
        throw asSandboxUnavailable(this.docker, 'asking the engine what it is', error);
      });
    return this.kind;
  }

  /**
   * Returns what holds the image in `workspaceDir` for the sandbox to mount, after making sure
   * it exists, is at least `maxMiB` and belongs to `user`: on Docker, the loop device
   * (`/dev/loopN`) it is attached to; on Podman, the file (see {@link WorkspaceSource}). Run
   * before every mount: a device number is only good until the engine's host reboots.
   */
  async attach(workspaceDir: string, maxMiB: number, user: SandboxUser): Promise<WorkspaceSource> {
    const onPodman = (await this.engineKind()) === 'podman';
    if (onPodman && this.backing === 'volume') {
      throw new SandboxUnavailableError(
        'workspace-unavailable',
        `agent.sandbox.workspace.backing is "volume", which Podman cannot mount with a size limit (its Docker-compatible API ignores the volume's mount options); run Clawdbot where Podman's host can see the state directory (backing "host-dir") or use a Docker engine; sandboxed tools are refused until then; nothing runs on the host`,
      );
    }
    const { status, stdout, stderr } = await this.run({
      kind: onPodman ? 'image-only' : 'attach',
      workspaceDir,
      maxMiB,
      user,
      backing: this.backing,
    });
    if (status === 0 && onPodman && /^image=ready$/m.test(stdout)) {
      return { kind: 'image-file', path: join(workspaceDir, WORKSPACE_IMAGE_FILE) };
    }
    const device = /^device=(\/dev\/loop\d+)$/m.exec(stdout)?.[1];
    if (status === 0 && device) return { kind: 'loop-device', device };
    const why = stderr.trim().split('\n').slice(-3).join('; ') || `exit ${String(status)}`;
    throw new SandboxUnavailableError(
      'workspace-unavailable',
      `the workspace could not be prepared (${why}): ${UNSUPPORTED_FIX}; ` +
        'sandboxed tools are refused until then; nothing runs on the host',
    );
  }

  /**
   * Detaches the loop devices of deleted workspace images, which would otherwise keep their
   * blocks on the host disk until a reboot. Every {@link attach} does this too; this is for
   * when no sandbox is about to start (a test run's end).
   */
  async sweep(): Promise<void> {
    const { status, stderr } = await this.run({ kind: 'sweep' });
    if (status !== 0) {
      throw new SandboxUnavailableError(
        'workspace-unavailable',
        `sweeping deleted workspaces failed: ${stderr.trim() || `exit ${String(status)}`}`,
      );
    }
  }

  /** Runs the helper once: create, attach, start, wait for its removal; its exit and output. */
  private async run(
    request: HelperRequest,
  ): Promise<{ status: number | undefined; stdout: string; stderr: string }> {
    const { docker } = this;
    let container: Docker.Container;
    try {
      container = await docker.createContainer({
        ...helperContainerSpec(request),
        abortSignal: controlDeadline(),
      });
    } catch (error) {
      if (dockerStatus(error) === 404) throw imageMissingError(WORKSPACE_HELPER_IMAGE, error);
      throw unsupported(docker, error);
    }
    let stdout = '';
    let stderr = '';
    let stream: Duplex;
    let exited: Promise<{ StatusCode?: number }>;
    try {
      // Waiting for `removed` is asked before the start, so the exit cannot be missed.
      exited = container.wait({
        condition: 'removed',
        abortSignal: AbortSignal.timeout(HELPER_TIMEOUT_MS),
      }) as Promise<{ StatusCode?: number }>;
      stream = (await container.attach({
        stream: true,
        stdout: true,
        stderr: true,
        abortSignal: controlDeadline(),
      })) as Duplex;
      const demuxer = new ExecStreamDemuxer(
        (chunk) => (stdout += chunk.toString('utf8')),
        (chunk) => (stderr += chunk.toString('utf8')),
      );
      stream.on('data', (chunk: Buffer) => demuxer.push(chunk));
      await container.start({ abortSignal: controlDeadline() });
    } catch (error) {
      // The start's failure is what is reported; a helper that cannot even be removed is
      // swept with every other labelled container by the kill switch and `sandbox prune`.
      await container.remove({ force: true }).catch(() => undefined);
      throw unsupported(docker, error);
    }
    const ended = new Promise<void>((resolve) => {
      stream
        .on('end', resolve)
        .on('close', resolve)
        .on('error', () => resolve());
    });
    let status: number | undefined;
    try {
      status = (await exited).StatusCode;
    } catch (error) {
      // Hung (its deadline passed) or the engine went away: it must not linger. The wait's
      // failure is what is reported (a removal failing too adds nothing the owner can act on).
      await container.remove({ force: true }).catch(() => undefined);
      throw asSandboxUnavailable(docker, 'the workspace helper', error);
    }
    await ended;
    return { status, stdout, stderr };
  }
}

// The engine refused the helper itself (no loop-control device, device rules unsupported…).
function unsupported(docker: Docker, error: unknown): SandboxUnavailableError {
  if (isDockerUnreachable(error)) return dockerUnreachableError(docker, error);
  return new SandboxUnavailableError(
    'workspace-unavailable',
    `starting the workspace helper failed (${describeDockerError(error)}): ${UNSUPPORTED_FIX}; ` +
      'sandboxed tools are refused until then; nothing runs on the host',
    { cause: error },
  );
}
