import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { DEFAULT_SANDBOX_IMAGE } from '../../src-shared/config/sandbox-schema.js';
import { controlDeadline } from './docker-control.js';
import { describeDockerError } from '../supervisor/docker-error.js';
import {
  asSandboxUnavailable,
  dockerStatus,
  dockerUnreachableError,
  imageMissingError,
  isDockerUnreachable,
} from './docker-failures.js';
import { ExecStreamDemuxer } from './exec-demux.js';
import { sandboxAssetsDir } from './image-recipe.js';
import { SandboxUnavailableError } from './sandbox-errors.js';
import { SANDBOX_PATH } from './container-spec.js';
import { dockerUser, type SandboxUser } from './sandbox-user.js';

/**
 * The file each workspace's filesystem lives in, inside its host directory
 * (`sandboxes/<id>/clawdbot-workspace.ext4`). A distinctive name, because the helper detaches
 * loop devices whose backing file of this name was deleted.
 */
export const WORKSPACE_IMAGE_FILE = 'clawdbot-workspace.ext4';

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

/** What the helper is asked to do: prepare one workspace, or only detach deleted ones. */
export type HelperRequest =
  { kind: 'attach'; workspaceDir: string; maxMiB: number; user: SandboxUser } | { kind: 'sweep' };

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
    request.kind === 'attach' ? [String(request.maxMiB), dockerUser(request.user)] : ['sweep'];
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
        request.kind === 'attach'
          ? [
              {
                Type: 'bind',
                Source: request.workspaceDir,
                Target: HELPER_MOUNT,
                ReadOnly: false,
                BindOptions: { Propagation: 'rprivate' },
              },
            ]
          : [],
      PidsLimit: 64,
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
  constructor(private readonly docker: Docker) {}

  /**
   * Returns the loop device (`/dev/loopN`) that holds the image in `workspaceDir`, after making
   * sure it exists, is at least `maxMiB` and belongs to `user`. Run before every mount: a device
   * number is only good until the engine's host reboots.
   */
  async attach(workspaceDir: string, maxMiB: number, user: SandboxUser): Promise<string> {
    const { status, stdout, stderr } = await this.run({
      kind: 'attach',
      workspaceDir,
      maxMiB,
      user,
    });
    const device = /^device=(\/dev\/loop\d+)$/m.exec(stdout)?.[1];
    if (status === 0 && device) return device;
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
      // Hung (its deadline passed) or the engine went away: it must not linger.
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
