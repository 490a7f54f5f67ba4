import { execFile } from 'node:child_process';
import { chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import {
  buildContainerSpec,
  TMPFS_OPTIONS,
  WORKSPACE_MOUNT_OPTIONS,
} from '../../src-main/sandbox/container-spec.js';
import type { SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import { dockerUser, resolveSandboxUser } from '../../src-main/sandbox/sandbox-user.js';
import {
  WORKSPACE_HELPER_IMAGE,
  WorkspaceImages,
  helperContainerSpec,
} from '../../src-main/sandbox/workspace-image.js';
import { BASELINE_PREFIX, RUN_TAG, tempDirs } from './context.js';

const execFileAsync = promisify(execFile);

/** One run of the cold figures, in ms. */
export interface ColdSample {
  /** `ensure` on a session key never seen: workspace, inspect (404), helper, create, start. */
  ensure: number;
  /**
   * The same work by hand with the CLI: `docker run --rm` of the workspace helper on a fresh
   * directory, then `docker run -d` of the sandbox with its hardening flags and the workspace
   * volume on the device the helper printed.
   */
  cliSameWork: number;
  /**
   * Diagnostic: `docker run -d` with the hardening flags and a plain bind-mounted directory,
   * i.e. a sandbox without a size-limited workspace (what `ensure` was compared to before).
   */
  dockerRun: number;
  /** Diagnostic: the helper alone on an image already attached (the check before a restart). */
  helperVerify: number;
  /** Diagnostic: Docker API create + start of the very spec `ensure` creates. */
  rawCreate: number;
}

/**
 * Cold sandbox creation beside the same work done with the docker CLI. Every container is
 * removed right after its timing (untimed), so each run starts from the same engine state.
 */
export class ColdCreateBench {
  private readonly workspace: string;
  private readonly images: WorkspaceImages;
  private device = '';

  constructor(
    private readonly docker: Docker,
    private readonly sandboxes: SandboxManager,
  ) {
    this.workspace = join(tempDirs.make('clawdbot-bench-tools-ws-'), 'workspace');
    mkdirSync(this.workspace, { mode: 0o700 });
    const user = resolveSandboxUser(sandboxes.config.docker.user);
    if (process.getuid?.() === 0) chownSync(this.workspace, user.uid, user.gid);
    this.images = new WorkspaceImages(docker);
  }

  async sample(run: number, attempt: number): Promise<ColdSample> {
    const tag = `${run}-${attempt}`;
    this.device ||= await this.attachBenchWorkspace();
    const ops: [keyof ColdSample, () => Promise<number>][] = [
      ['ensure', () => this.ensure(tag)],
      ['cliSameWork', () => this.cliSameWork(tag)],
      ['dockerRun', () => this.dockerRun(tag)],
      ['helperVerify', () => this.helperVerify()],
      ['rawCreate', () => this.rawCreate(tag)],
    ];
    const times: Partial<ColdSample> = {};
    for (let i = 0; i < ops.length; i++) {
      const [key, op] = ops[(run + i) % ops.length]!;
      times[key] = await op();
    }
    return times as ColdSample;
  }

  private async ensure(tag: string): Promise<number> {
    const key = `dm:bench:${RUN_TAG}-cold-${tag}`;
    const t0 = performance.now();
    const handle = await this.sandboxes.ensure(key);
    const ms = performance.now() - t0;
    await this.sandboxes.stop(handle.name);
    if (!handle.created) throw new Error(`${handle.name} already existed`);
    return ms;
  }

  // A Docker engine's loop device: this bench measures the loop-device path only.
  private async attachBenchWorkspace(): Promise<string> {
    const { config } = this.sandboxes;
    const source = await this.images.attach(
      this.workspace,
      config.workspace.maxMiB,
      resolveSandboxUser(config.docker.user),
    );
    if (source.kind !== 'loop-device') throw new Error('bench:tools runs on a Docker engine');
    return source.device;
  }

  private async helperVerify(): Promise<number> {
    const t0 = performance.now();
    const device = await this.attachBenchWorkspace();
    const ms = performance.now() - t0;
    if (device !== this.device) throw new Error(`the bench workspace moved to ${device}`);
    return ms;
  }

  private async cliSameWork(tag: string): Promise<number> {
    const { config } = this.sandboxes;
    const dir = join(tempDirs.make('clawdbot-bench-tools-cli-'), 'workspace');
    mkdirSync(dir, { mode: 0o700 });
    const user = resolveSandboxUser(config.docker.user);
    const helper = helperContainerSpec({
      kind: 'attach',
      workspaceDir: dir,
      maxMiB: config.workspace.maxMiB,
      user,
    });
    const host = helper.HostConfig!;
    const helperArgs = [
      'run',
      '--rm',
      '--user',
      helper.User!,
      ...helper.Env!.flatMap((e) => ['--env', e]),
      '--network',
      'none',
      '--read-only',
      '--runtime',
      'runc',
      '--cap-drop',
      'ALL',
      ...(host.CapAdd as string[]).flatMap((cap) => ['--cap-add', cap]),
      '--security-opt',
      'no-new-privileges',
      '--device',
      '/dev/loop-control',
      ...host.DeviceCgroupRules!.flatMap((rule) => ['--device-cgroup-rule', rule]),
      '--mount',
      `type=bind,source=${dir},target=/ws`,
      '--entrypoint',
      'bash',
      WORKSPACE_HELPER_IMAGE,
      ...helper.Cmd!.slice(1),
    ];
    const t0 = performance.now();
    const { stdout } = await execFileAsync('docker', helperArgs);
    const device = /device=(\S+)/.exec(stdout)?.[1];
    if (!device) throw new Error(`the helper printed no device: ${stdout}`);
    const helperMs = performance.now() - t0;
    const runMs = await this.dockerRun(
      `cli-${tag}`,
      `type=volume,target=/workspace,volume-nocopy,volume-driver=local,volume-opt=type=ext4,` +
        `volume-opt=device=${device},"volume-opt=o=${WORKSPACE_MOUNT_OPTIONS}"`,
    );
    return helperMs + runMs;
  }

  private async dockerRun(
    tag: string,
    mount = `type=bind,source=${this.workspace},target=/workspace`,
  ): Promise<number> {
    const { docker: config } = this.sandboxes.config;
    const user = resolveSandboxUser(config.user);
    const memory = `${config.memoryMiB}m`;
    const args = [
      'run',
      '-d',
      '--rm',
      '--name',
      `${BASELINE_PREFIX}${tag}`,
      '--user',
      dockerUser(user),
      '--workdir',
      '/workspace',
      '--network',
      config.network,
      ...(config.readOnlyRoot ? ['--read-only'] : []),
      ...config.tmpfs.flatMap((path) => ['--tmpfs', `${path}:${TMPFS_OPTIONS}`]),
      ...config.capDrop.flatMap((cap) => ['--cap-drop', cap]),
      ...(config.noNewPrivileges ? ['--security-opt', 'no-new-privileges'] : []),
      '--pids-limit',
      String(config.pidsLimit),
      '--memory',
      memory,
      '--memory-swap',
      memory,
      '--cpus',
      String(config.cpus),
      '--init',
      '--ipc',
      'private',
      '--mount',
      mount,
      config.image,
      'sleep',
      'infinity',
    ];
    const t0 = performance.now();
    const { stdout } = await execFileAsync('docker', args);
    const ms = performance.now() - t0;
    await this.removeById(stdout.trim());
    return ms;
  }

  private async rawCreate(tag: string): Promise<number> {
    const { docker: config } = this.sandboxes.config;
    const spec = buildContainerSpec({
      name: `${BASELINE_PREFIX}api-${tag}`,
      scopeKey: `${RUN_TAG}-api-${tag}`,
      installationId: this.sandboxes.installationId,
      workspaceDir: this.workspace,
      workspaceDevice: this.device,
      config,
      workspace: this.sandboxes.config.workspace,
      user: resolveSandboxUser(config.user),
      createdAtMs: Date.now(),
    });
    // Not labelled as a sandbox: it is the bench's, and only the bench removes it.
    spec.Labels = {};
    const t0 = performance.now();
    const container = await this.docker.createContainer(spec);
    await container.start();
    const ms = performance.now() - t0;
    await this.removeById(container.id);
    return ms;
  }

  private async removeById(id: string): Promise<void> {
    await this.docker
      .getContainer(id)
      .remove({ force: true, v: true })
      .catch(() => undefined);
  }
}

/** Removes every container of this run (sandboxes and baselines), also after a failure. */
export async function removeRunContainers(docker: Docker): Promise<void> {
  const all = await docker.listContainers({ all: true });
  await Promise.all(
    all
      .filter(
        (c) =>
          c.Names.some((n) => n.includes(RUN_TAG)) ||
          Object.values(c.Labels).some((v) => v.includes(RUN_TAG)),
      )
      .map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true, v: true })
          .catch(() => undefined),
      ),
  );
}
