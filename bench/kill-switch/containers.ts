import type Docker from 'dockerode';
import type * as TestDockerHelpers from '../../test/helpers/docker.js';
import { dockerSocketOptions } from '../../src-main/docker/docker-client.js';
import { SANDBOX_LABEL_FILTER } from '../../src-main/docker/sandbox-labels.js';
import { setTimeout as sleep } from 'node:timers/promises';

/** Every container this bench creates is named with this prefix, so cleanup can find strays. */
export const NAME_PREFIX = 'clawdbot-bench-ks-';

/** Whether a container is one this bench created (by name, as ids of strays are not known). */
export function isOurs(info: Docker.ContainerInfo): boolean {
  return info.Names.some((n) => n.replace(/^\//, '').startsWith(NAME_PREFIX));
}

/**
 * The bench's own Docker client, for creating containers, the baseline and verification. The
 * supervisor is not handed it: it connects its own client exactly as the app does. dockerode and
 * the test helpers (which import it) are only loaded by `connect`, so that a start-up worker
 * (see startup.ts) begins without dockerode loaded, like `clawdbot supervise`.
 */
export class BenchContainers {
  private readonly created = new Set<string>();

  private constructor(
    readonly docker: Docker,
    private readonly startTestContainer: typeof TestDockerHelpers.startTestContainer,
  ) {}

  /** Connects to the local engine and makes sure the test image exists (built, not pulled). */
  static async connect(): Promise<BenchContainers> {
    const { default: DockerClient } = await import('dockerode');
    const docker = new DockerClient({ ...dockerSocketOptions(), timeout: 30_000 });
    const helpers = await import('../../test/helpers/docker.js');
    await docker.ping();
    await helpers.ensureTestImage(docker);
    return new BenchContainers(docker, helpers.startTestContainer);
  }

  /** The engine's version, for the Machine line. */
  async engineVersion(): Promise<string> {
    const version = await this.docker.version().catch(() => null);
    return version?.Version ?? 'unknown';
  }

  /** Every container labelled as a Clawdbot sandbox: what the kill switch must remove. */
  labelled(): Promise<Docker.ContainerInfo[]> {
    return this.docker.listContainers({ all: true, filters: { label: [SANDBOX_LABEL_FILTER] } });
  }

  /**
   * Creates and starts `count` sleeping containers in parallel (never timed), labelled as the
   * sandboxes of `installationId` (the installation whose kill switch is to remove them).
   */
  async create(tag: string, count: number, installationId: string): Promise<string[]> {
    const results = await Promise.allSettled(
      Array.from({ length: count }, (_, i) =>
        this.startTestContainer(this.docker, `${NAME_PREFIX}${tag}-${i}`, { installationId }),
      ),
    );
    const ids: string[] = [];
    for (const result of results) {
      if (result.status === 'fulfilled') {
        this.created.add(result.value.id);
        ids.push(result.value.id);
      }
    }
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw new Error(`creating containers failed: ${String(failed.reason)}`);
    return ids;
  }

  /** Remembers a container created elsewhere (e.g. busy sandboxes), so cleanup removes it. */
  adopt(id: string): void {
    this.created.add(id);
  }

  /** Force-removes every container this bench created (tracked ids and any stray by name). */
  async removeAll(): Promise<void> {
    const strays = await this.docker
      .listContainers({ all: true, filters: { name: [NAME_PREFIX] } })
      .catch(() => [] as Docker.ContainerInfo[]);
    const ids = new Set<string>(this.created);
    for (const info of strays) if (isOurs(info)) ids.add(info.Id);
    await Promise.all(
      [...ids].map((id) =>
        this.docker
          .getContainer(id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
    );
    this.created.clear();
  }

  /**
   * The kill switch removes EVERY labelled container on the engine, so it must not be engaged
   * while someone else's sandboxes (a concurrent test run, a real supervisor) exist: waits up to
   * `waitMs` for them to go, then gives up with an explanation.
   */
  async waitForNoForeignSandboxes(waitMs = 120_000): Promise<void> {
    const deadline = performance.now() + waitMs;
    let warned = false;
    for (;;) {
      const foreign = (await this.labelled()).filter((info) => !isOurs(info));
      if (foreign.length === 0) return;
      const names = foreign.map((i) => (i.Names[0] ?? i.Id).replace(/^\//, '')).join(', ');
      if (performance.now() > deadline) {
        throw new Error(
          `${foreign.length} container(s) labelled ${SANDBOX_LABEL_FILTER} that this bench did not create ` +
            `still exist (${names}); the kill switch would remove them. Remove them or stop what uses them.`,
        );
      }
      if (!warned) {
        console.warn(
          `waiting for ${foreign.length} labelled container(s) this bench did not create: ${names}`,
        );
        warned = true;
      }
      await sleep(1000);
    }
  }
}
