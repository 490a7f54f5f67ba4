import { sep } from 'node:path';
import type Docker from 'dockerode';
import {
  INSTALLATION_LABEL,
  SANDBOX_LABEL,
  SANDBOX_LABEL_FILTER,
  SESSION_KEY_LABEL,
} from '../docker/sandbox-labels.js';
import { haltContainers, releaseForRemoval } from '../docker/sandbox-freeze.js';
import { type ContainerUsage, usageFromStats } from './container-stats.js';
import { CREATED_AT_LABEL, WORKSPACE_LABEL } from './container-spec.js';
import type { ContainerLifecycle } from './container-lifecycle.js';
import { controlDeadline } from './docker-control.js';
import { dockerStatus } from '../docker/docker-errors.js';
import { asSandboxUnavailable } from './docker-failures.js';
import { PRUNE_INTERVAL_MS, pruneVerdict } from './prune-policy.js';
import type { SandboxPruneConfig } from '../../src-shared/config/sandbox-schema.js';
import type { SandboxActivity } from './sandbox-activity.js';
import type { PrunedSandbox, SandboxInfo, SandboxListOptions } from './sandbox-types.js';
import { readLastUsed } from './workspace.js';
import { readContainerFile } from './workspace-archive.js';
import { sandboxesDir } from '../state-layout.js';

/** Stats are best-effort: a container that does not answer in time shows no usage. */
const STATS_TIMEOUT_MS = 10_000;

/** What {@link SandboxInventory} works with. */
export interface InventoryDeps {
  docker: Docker;
  stateDir: string;
  /** This installation's id: only its sandboxes are listed, stopped and pruned. */
  installationId: string;
  prune: SandboxPruneConfig;
  lifecycle: ContainerLifecycle;
  activity: SandboxActivity;
  now: () => number;
}

/**
 * This installation's sandbox containers on the engine: listing, stopping one, pruning idle and
 * old ones. Another installation's (another state directory on the same engine) are never shown
 * or touched. A legacy container, from before sandboxes carried an installation label, counts as
 * this installation's when its workspace is in this state directory: that is the one thing that
 * still says whose it is, and it lets the idle rule prune it once it is no longer used (its name
 * is not the one this installation uses now).
 */
export class SandboxInventory {
  private lastPruneAtMs = 0;

  constructor(private readonly deps: InventoryDeps) {}

  /**
   * This installation's sandbox containers on the engine (see the class), with its session, image, age, last use and, for running ones, CPU and memory. Stats take a second
   * per container (the engine samples twice), all in parallel; pass `usage: false` to skip.
   */
  async list(options: SandboxListOptions = {}): Promise<SandboxInfo[]> {
    const { docker, activity } = this.deps;
    let listed: Docker.ContainerInfo[];
    try {
      listed = await docker.listContainers({
        all: true,
        filters: { label: [SANDBOX_LABEL_FILTER] },
        abortSignal: controlDeadline(),
      });
    } catch (error) {
      throw asSandboxUnavailable(docker, 'listing sandboxes', error);
    }
    const now = this.deps.now();
    return Promise.all(
      listed
        .filter((info) => this.isOurs(info.Labels))
        .map(async (info): Promise<SandboxInfo> => {
          const name = (info.Names[0] ?? info.Id).replace(/^\//, '');
          const createdAtMs = Number(info.Labels[CREATED_AT_LABEL]) || info.Created * 1000;
          const workspaceDir = info.Labels[WORKSPACE_LABEL] ?? null;
          const lastUsedAtMs = Math.max(
            createdAtMs,
            activity.lastUsedAt(name),
            workspaceDir ? (readLastUsed(workspaceDir) ?? 0) : 0,
          );
          const [usage, runtime] = await Promise.all([
            options.usage !== false && info.State === 'running'
              ? this.usageOf(info.Id)
              : Promise.resolve(null),
            options.runtime !== false ? this.runtimeOf(info.Id) : Promise.resolve(null),
          ]);
          return {
            name,
            id: info.Id,
            sessionKey: info.Labels[SESSION_KEY_LABEL] ?? null,
            image: info.Image,
            state: info.State,
            createdAtMs,
            lastUsedAtMs,
            ageMs: now - createdAtMs,
            idleMs: now - lastUsedAtMs,
            workspaceDir,
            usage,
            runtime,
          };
        }),
    );
  }

  /**
   * Stops and removes a sandbox container by name or id, in the kill switch's order: every
   * process in it is frozen first (killed where the engine cannot pause it), and only then is
   * the container removed. Resolves false when there is no such container. Refuses containers
   * that are not Clawdbot sandboxes.
   */
  async stop(nameOrId: string): Promise<boolean> {
    const { docker, lifecycle } = this.deps;
    const info = await this.ownSandbox(nameOrId);
    if (info === null) return false;
    const name = info.Name.replace(/^\//, '');
    lifecycle.forget(name);
    // Never throws: whatever could not be frozen or killed, the forced removal below kills.
    const [halted] = await haltContainers(docker, [info.Id]);
    if (halted) releaseForRemoval(halted);
    await lifecycle.remove(info.Id, name);
    return true;
  }

  /**
   * One regular file of a sandbox's workspace, read through the engine's archive API (see
   * readContainerFile: a planted symlink is refused, paths outside /workspace too), for the UI.
   * Null when there is no such container; refuses one that is not this installation's sandbox.
   */
  async readFile(nameOrId: string, relPath: string, maxBytes: number): Promise<Buffer | null> {
    const info = await this.ownSandbox(nameOrId);
    if (info === null) return null;
    return readContainerFile(this.deps.docker, info.Id, relPath, maxBytes);
  }

  /**
   * The container by name or id if it is one of this installation's sandboxes; null when there
   * is none; throws for one that is another's, or not a sandbox at all.
   */
  private async ownSandbox(nameOrId: string): Promise<Docker.ContainerInspectInfo | null> {
    const { docker } = this.deps;
    let info: Docker.ContainerInspectInfo;
    try {
      info = await docker.getContainer(nameOrId).inspect({ abortSignal: controlDeadline() });
    } catch (error) {
      if (dockerStatus(error) === 404) return null;
      throw asSandboxUnavailable(docker, `inspecting ${nameOrId}`, error);
    }
    if (info.Config.Labels?.[SANDBOX_LABEL] !== '1') {
      throw new Error(`${nameOrId} is not a Clawdbot sandbox container; not touching it`);
    }
    if (!this.isOurs(info.Config.Labels)) {
      throw new Error(
        `${nameOrId} is another Clawdbot installation's sandbox (another state directory); not touching it`,
      );
    }
    return info;
  }

  /**
   * Removes this installation's containers that have been idle for `prune.idleHours` or were
   * created more than `prune.maxAgeDays` ago. Containers of other installations belong to
   * another Clawdbot and are left to it. Workspaces are kept.
   */
  async prune(): Promise<PrunedSandbox[]> {
    const { stateDir, activity, lifecycle } = this.deps;
    this.lastPruneAtMs = this.deps.now();
    const now = this.deps.now();
    const ours = `${sandboxesDir(stateDir)}${sep}`;
    const pruned: PrunedSandbox[] = [];
    for (const info of await this.list({ usage: false })) {
      if (!info.workspaceDir?.startsWith(ours)) continue;
      const busy = activity.busyCount(info.name) > 0;
      const why = pruneVerdict({ ...info, busy }, now, this.deps.prune);
      if (why === null) continue;
      await lifecycle.remove(info.id, info.name);
      pruned.push({ name: info.name, sessionKey: info.sessionKey, why });
    }
    return pruned;
  }

  /** Whether a sandbox container with these labels is this installation's (see the class). */
  private isOurs(labels: Readonly<Record<string, string>> | undefined): boolean {
    const owner = labels?.[INSTALLATION_LABEL];
    if (owner !== undefined) return owner === this.deps.installationId;
    return (
      labels?.[WORKSPACE_LABEL]?.startsWith(`${sandboxesDir(this.deps.stateDir)}${sep}`) ?? false
    );
  }

  /** Whether {@link pruneIfDue} would prune now (cheap: a clock read). */
  pruneDue(): boolean {
    return this.deps.now() - this.lastPruneAtMs >= PRUNE_INTERVAL_MS;
  }

  /** Runs {@link prune} if the last run was at least five minutes ago; otherwise does nothing. */
  async pruneIfDue(): Promise<PrunedSandbox[]> {
    return this.pruneDue() ? this.prune() : [];
  }

  private async usageOf(id: string): Promise<ContainerUsage | null> {
    // The typings offer no abort signal for stats: bound it by a race instead. Usage is shown
    // as unknown when the engine does not say; the listing itself does not depend on it.
    return Promise.race([
      this.deps.docker.getContainer(id).stats({ stream: false }).then(usageFromStats),
      new Promise<null>((resolve) => setTimeout(resolve, STATS_TIMEOUT_MS, null).unref()),
    ]).catch(() => null);
  }

  /**
   * The OCI runtime a container runs under, from its inspection (`HostConfig.Runtime`; the
   * listing does not carry it). Null when the engine does not say: the column then shows it as
   * unknown, and the listing itself does not depend on it.
   */
  private async runtimeOf(id: string): Promise<string | null> {
    try {
      const inspected = await this.deps.docker
        .getContainer(id)
        .inspect({ abortSignal: controlDeadline() });
      return inspected.HostConfig.Runtime || null;
    } catch {
      return null;
    }
  }
}
