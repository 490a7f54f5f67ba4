import type Docker from 'dockerode';
import type {
  EngineKill,
  KilledContainer,
  SandboxSweep,
} from '../../src-shared/domain/kill-switch.js';
import { describeDockerError } from '../docker/docker-errors.js';
import type { KillEngine } from '../docker/kill-engine.js';
import type { FreezeRoute } from '../docker/freeze-route.js';
import {
  HALT_TIMEOUT_MS,
  type HaltOutcome,
  haltContainers,
  releaseForRemoval,
  removeContainer,
  stillRuns,
} from '../docker/sandbox-freeze.js';
import {
  SANDBOX_LABEL_FILTER,
  SESSION_KEY_LABEL,
  type SandboxReach,
  killReaches,
} from '../docker/sandbox-labels.js';

/** What the reaper reports: the sandbox half of a kill report, for one engine. */
export type SandboxKillReport = EngineKill;

/**
 * Rounds of "freeze what runs, list again" (and of "remove, list again") in one attempt: a
 * container that appears meanwhile gets the next round; what is left after the last one is for
 * the next attempt.
 */
const ROUNDS = 3;

/** Whose sandboxes a kill removes, when its moments are measured from, and who hears of the first one. */
export interface SandboxKillOptions {
  /** This installation's sandboxes (and legacy unlabelled ones), or every installation's. */
  reach: SandboxReach;
  /** A `performance.now()` reading the moments are relative to (default: the call). */
  startedAt?: number;
  /**
   * Called once every sandboxed process is confirmed frozen or dead, with that moment, before
   * any container is removed; the removal waits for it.
   */
  onStopped?: (stoppedMs: number) => void | Promise<void>;
  /** How sandboxes are frozen (default: what `CLAWDBOT_SANDBOX_FREEZE` says, else `auto`). */
  freeze?: FreezeRoute;
  /** Which engine, for the report. */
  endpoint?: string;
  /**
   * How long the first listing may take before the engine counts as not answering (default
   * {@link DOCKER_REACH_TIMEOUT_MS}; longer for a remote engine, whose SSH or TLS handshake
   * comes first).
   */
  reachTimeoutMs?: number;
}

/**
 * Stops every sandbox container `options.reach` covers (see `killReaches`) in two phases, all in parallel, through the
 * Docker API: first every one is frozen (paused; killed where pausing fails) and the engine is
 * listed again until nothing labelled still runs — the `stoppedMs` moment — and only then are
 * they all removed — `removedMs`, once the engine lists none. Never throws: an unreachable
 * engine is reported.
 */
export async function killSandboxContainers(
  dockerClient: KillEngine | Promise<KillEngine>,
  options: SandboxKillOptions,
): Promise<SandboxKillReport> {
  const { reach } = options;
  const startedAt = options.startedAt ?? performance.now();
  const since = (): number => Math.round((performance.now() - startedAt) * 10) / 10;
  let docker: KillEngine;
  let listed: Docker.ContainerInfo[];
  try {
    docker = await dockerClient;
    // An engine that does not answer a list in 5 s is reported unreachable.
    listed = await listSandboxes(docker, reach, options.reachTimeoutMs ?? DOCKER_REACH_TIMEOUT_MS);
  } catch (error) {
    return {
      reach: reach.kind,
      endpoint: options.endpoint ?? null,
      dockerReachable: false,
      error: describeDockerError(error),
      containers: [],
      stoppedMs: null,
      removedMs: null,
    };
  }
  const found = new Map<string, KilledContainer>();
  // How each was halted: the engine's listing does not know of a freeze made in the kernel.
  const halted = new Map<string, Pick<HaltOutcome, 'cgroup' | 'confirmedByKernel'>>();
  // Frozen, and then their processes sealed (SIGKILLed while frozen) so that the removal, which
  // thaws, lets none of them run again.
  const halt = async (infos: Docker.ContainerInfo[]): Promise<void> => {
    const outcomes = await haltContainers(
      docker,
      infos.map((info) => info.Id),
      options.freeze,
    );
    infos.forEach((info, i) => {
      const { cgroup, confirmedByKernel, ...outcome } = outcomes[i]!;
      found.set(info.Id, { ...found.get(info.Id), ...entryOf(info), ...outcome });
      halted.set(info.Id, { cgroup, confirmedByKernel });
    });
  };
  const runs = (info: Docker.ContainerInfo): Promise<boolean> => {
    // One not seen before (created meanwhile) is frozen like the rest, whatever its state.
    if (!found.has(info.Id)) return Promise.resolve(true);
    // Listed as running still, but the kernel said its processes are frozen or dead.
    if (halted.get(info.Id)?.confirmedByKernel) return Promise.resolve(false);
    return stillRuns(docker, info);
  };

  // Phase 1: nothing sandboxed runs any more.
  let stoppedMs: number | null = null;
  let toHalt = listed;
  for (let round = 0; round < ROUNDS && stoppedMs === null; round++) {
    await halt(toHalt);
    const now = await listSandboxes(docker, reach).catch(() => null);
    if (now === null) break;
    const running = await Promise.all(now.map(runs));
    toHalt = now.filter((_, i) => running[i]);
    if (toHalt.length === 0) stoppedMs = since();
  }
  if (stoppedMs !== null) {
    const stoppedAt = stoppedMs;
    // A listener (a database record, the UI) that fails must not stop the removal.
    await Promise.resolve()
      .then(() => options.onStopped?.(stoppedAt))
      .catch(() => undefined);
  }

  // Phase 2: only then, every container goes.
  let removedMs: number | null = null;
  let toRemove = [...found.values()];
  for (let round = 0; round < ROUNDS; round++) {
    await Promise.all(
      toRemove.map(async (c) => {
        const released = releaseForRemoval(halted.get(c.id) ?? { cgroup: null });
        halted.delete(c.id); // Released once; a second round only removes.
        const removeError = await removeContainer(docker, c.id);
        c.error =
          removeError ?? (released === null ? null : `ending it before removal: ${released}`);
      }),
    );
    const left = await listSandboxes(docker, reach).catch(() => null);
    if (left === null) break;
    // A removal that errored (the connection dropped under load) may still have happened:
    // report only what is really still there.
    const remaining = new Set(left.map((c) => c.Id));
    for (const c of found.values()) if (c.error !== null && !remaining.has(c.id)) c.error = null;
    if (left.length === 0) {
      removedMs = since();
      break;
    }
    // Newcomers (created while we worked) are frozen before they are removed, like the rest.
    const newcomers = left.filter((info) => !found.has(info.Id));
    if (newcomers.length === 0) break;
    await halt(newcomers);
    toRemove = newcomers.map((info) => found.get(info.Id)!);
  }
  return {
    reach: reach.kind,
    endpoint: options.endpoint ?? null,
    dockerReachable: true,
    error: null,
    containers: [...found.values()],
    stoppedMs,
    removedMs,
  };
}

/**
 * The sandboxes `reach` covers. The engine lists every Clawdbot sandbox and the installation is
 * checked here: a label filter cannot select the legacy containers, which have no installation
 * label at all.
 */
async function listSandboxes(
  docker: KillEngine,
  reach: SandboxReach,
  timeoutMs = HALT_TIMEOUT_MS,
): Promise<Docker.ContainerInfo[]> {
  const listed = await docker.listContainers({
    all: true,
    filters: { label: [SANDBOX_LABEL_FILTER] },
    abortSignal: AbortSignal.timeout(timeoutMs),
  });
  return listed.filter((info) => killReaches(reach, info.Labels));
}

function entryOf(
  info: Docker.ContainerInfo,
): Pick<KilledContainer, 'id' | 'name' | 'sessionKey' | 'error'> {
  return {
    id: info.Id,
    name: (info.Names[0] ?? info.Id).replace(/^\//, ''),
    sessionKey: info.Labels[SESSION_KEY_LABEL] ?? null,
    error: null,
  };
}

/**
 * Where an attempt leaves the sandboxes: clear only if the engine answered and then listed none
 * after the removals. `startedAt` is when the attempt began (ms since epoch: its moments are
 * relative to it) and `checkedAt` when it ended. `stoppedAt` says when every sandboxed process
 * was confirmed frozen or dead, even if some containers could not be removed.
 */
export function sweepAfterAttempt(
  sandboxes: SandboxKillReport,
  startedAt: number,
  checkedAt: number,
  removedLater = 0,
): SandboxSweep {
  const at = (ms: number | null): number | null =>
    ms === null ? null : Math.round(startedAt + ms);
  if (!sandboxes.dockerReachable) {
    return {
      state: 'may-remain',
      checkedAt,
      error: `the Docker engine did not answer (${sandboxes.error ?? 'no reply'})`,
      removedLater,
      stoppedAt: null,
    };
  }
  const stoppedAt = at(sandboxes.stoppedMs) ?? at(sandboxes.removedMs);
  if (sandboxes.removedMs !== null) {
    return { state: 'clear', checkedAt, error: null, removedLater, stoppedAt };
  }
  const failed = sandboxes.containers.filter((c) => c.error !== null);
  const error =
    failed.length > 0
      ? `${failed.length} container${failed.length === 1 ? '' : 's'} could not be removed (${failed[0]!.name}: ${failed[0]!.error})`
      : 'the Docker engine did not confirm that none remain';
  return { state: 'may-remain', checkedAt, error, removedLater, stoppedAt };
}

/** What a sweep says between the two phases: nothing runs, the containers are not gone yet. */
export const REMOVING = 'they are being removed';

/** Waits between sweep attempts: short at first, then every 2 s (an attempt itself may take 5 s). */
export const SWEEP_BACKOFF_MS: readonly number[] = [250, 500, 1000, 2000];

/**
 * Keeps freezing and removing the sandboxes `options.reach` covers until the engine lists none (then resolves
 * `clear`), the signal aborts, or `deadline` (ms since epoch) passes — each attempt is the kill
 * switch's own two phases, so the two never differ. Every attempt is passed to `onProgress`; a
 * frozen or restarting engine is simply retried with bounded backoff. Never throws.
 */
export async function sweepSandboxContainers(
  dockerClient: KillEngine | Promise<KillEngine>,
  options: {
    reach: SandboxReach;
    signal?: AbortSignal;
    deadline?: number;
    onProgress?: (sweep: SandboxSweep) => void;
    now?: () => number;
    freeze?: FreezeRoute;
  },
): Promise<SandboxSweep> {
  const now = options.now ?? Date.now;
  let removedLater = 0;
  let sweep: SandboxSweep = {
    state: 'may-remain',
    checkedAt: null,
    error: 'not checked yet',
    removedLater,
    stoppedAt: null,
  };
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) return sweep;
    const startedAt = now();
    const result = await killSandboxContainers(dockerClient, {
      reach: options.reach,
      ...(options.freeze ? { freeze: options.freeze } : {}),
      // Said at once: nothing runs any more, even while the removal takes its time.
      onStopped: (stoppedMs) => {
        sweep = {
          ...sweep,
          state: 'may-remain',
          checkedAt: now(),
          error: REMOVING,
          stoppedAt: Math.round(startedAt + stoppedMs),
        };
        if (!options.signal?.aborted) options.onProgress?.(sweep);
      },
    });
    removedLater += result.containers.filter((c) => c.error === null && c.stop !== 'gone').length;
    const next = sweepAfterAttempt(result, startedAt, now(), removedLater);
    // An engine that did not answer changes nothing that was confirmed before.
    sweep = result.dockerReachable ? next : { ...next, stoppedAt: sweep.stoppedAt };
    if (!options.signal?.aborted) options.onProgress?.(sweep);
    if (sweep.state === 'clear' || options.signal?.aborted) return sweep;
    const delay = SWEEP_BACKOFF_MS[Math.min(attempt, SWEEP_BACKOFF_MS.length - 1)]!;
    if (options.deadline !== undefined && now() + delay > options.deadline) return sweep;
    await abortableSleep(delay, options.signal);
  }
}

function abortableSleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** How long the kill switch waits for the engine to answer at all. */
export const DOCKER_REACH_TIMEOUT_MS = 5000;
