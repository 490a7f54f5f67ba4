import { execFile } from 'node:child_process';
import { chownSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Docker from 'dockerode';
import { buildContainerSpec, TMPFS_OPTIONS } from '../../src-main/sandbox/container-spec.js';
import type { SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import { dockerUser, resolveSandboxUser } from '../../src-main/sandbox/sandbox-user.js';
import { BASELINE_PREFIX, RUN_TAG, tempDirs } from './context.js';

const execFileAsync = promisify(execFile);

/** One run of the cold figures, in ms. */
export interface ColdSample {
  /** `ensure` on a session key never seen: workspace, inspect (404), create, start. */
  ensure: number;
  /** `docker run -d --rm <image> sleep infinity` with the sandbox's hardening flags. */
  dockerRun: number;
  /** Diagnostic: Docker API create + start of the very spec `ensure` creates. */
  rawCreate: number;
}

/**
 * Cold sandbox creation beside `docker run -d` of the same image. Every container is removed
 * right after its timing (untimed), so each run starts from the same engine state.
 */
export class ColdCreateBench {
  private readonly workspace: string;

  constructor(
    private readonly docker: Docker,
    private readonly sandboxes: SandboxManager,
  ) {
    this.workspace = join(tempDirs.make('clawdbot-bench-tools-ws-'), 'workspace');
    mkdirSync(this.workspace, { mode: 0o700 });
    const user = resolveSandboxUser(sandboxes.config.docker.user);
    if (process.getuid?.() === 0) chownSync(this.workspace, user.uid, user.gid);
  }

  async sample(run: number, attempt: number): Promise<ColdSample> {
    const tag = `${run}-${attempt}`;
    const ops: [keyof ColdSample, () => Promise<number>][] = [
      ['ensure', () => this.ensure(tag)],
      ['dockerRun', () => this.dockerRun(tag)],
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

  private async dockerRun(tag: string): Promise<number> {
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
      `type=bind,source=${this.workspace},target=/workspace`,
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
      workspaceDir: this.workspace,
      config,
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
      .remove({ force: true })
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
          .remove({ force: true })
          .catch(() => undefined),
      ),
  );
}
