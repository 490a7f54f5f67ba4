import type Docker from 'dockerode';
import type { KillReport, SandboxSweep } from '../../src-shared/domain/kill-switch.js';
import { SANDBOX_LABEL_FILTER, SESSION_KEY_LABEL } from './sandbox-labels.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** What the reaper reports: the sandbox half of a kill report. */
export type SandboxKillReport = KillReport['sandboxes'];

/**
 * Kills and removes every container labelled `clawdbot.sandbox=1`, all in parallel, through the
 * Docker API. `remove({ force: true })` SIGKILLs and removes in one call, so no sandbox gets a
 * grace period to finish what it was doing. Never throws: an unreachable engine is reported.
 */
export async function killSandboxContainers(
  dockerClient: Docker | Promise<Docker>,
): Promise<SandboxKillReport> {
  let docker: Docker;
  let listed: Docker.ContainerInfo[];
  try {
    docker = await dockerClient;
    listed = await docker.listContainers({
      all: true,
      filters: { label: [SANDBOX_LABEL_FILTER] },
      // An engine that does not answer a list in 5 s is reported unreachable.
      abortSignal: AbortSignal.timeout(DOCKER_REACH_TIMEOUT_MS),
    });
  } catch (error) {
    return { dockerReachable: false, error: describeDockerError(error), containers: [] };
  }
  const containers: SandboxKillReport['containers'] = await Promise.all(
    listed.map(async (info) => {
      const name = (info.Names[0] ?? info.Id).replace(/^\//, '');
      const sessionKey = info.Labels[SESSION_KEY_LABEL] ?? null;
      try {
        await docker.getContainer(info.Id).remove({ force: true, v: true });
        return { id: info.Id, name, sessionKey, error: null };
      } catch (error) {
        // Already gone (removed by someone else meanwhile) is what we wanted.
        if (statusOf(error) === 404) return { id: info.Id, name, sessionKey, error: null };
        return { id: info.Id, name, sessionKey, error: describeDockerError(error) };
      }
    }),
  );
  if (containers.some((c) => c.error !== null)) {
    // A removal that errored (e.g. the connection dropped under load) may still have happened:
    // report only what is really still there.
    const left = await docker
      .listContainers({ all: true, filters: { label: [SANDBOX_LABEL_FILTER] } })
      .catch(() => null);
    if (left) {
      const remaining = new Set(left.map((c) => c.Id));
      for (const c of containers) if (c.error !== null && !remaining.has(c.id)) c.error = null;
    }
  }
  return { dockerReachable: true, error: null, containers };
}

/**
 * Where a kill's first attempt leaves the sandboxes: clear only if the engine answered and
 * every removal succeeded.
 */
export function sweepAfterAttempt(
  sandboxes: SandboxKillReport,
  at: number,
  removedLater = 0,
): SandboxSweep {
  const failed = sandboxes.containers.filter((c) => c.error !== null);
  if (!sandboxes.dockerReachable) {
    return {
      state: 'may-remain',
      checkedAt: at,
      error: `the Docker engine did not answer (${sandboxes.error ?? 'no reply'})`,
      removedLater,
    };
  }
  if (failed.length > 0) {
    return {
      state: 'may-remain',
      checkedAt: at,
      error: `${failed.length} container${failed.length === 1 ? '' : 's'} could not be removed (${failed[0]!.name}: ${failed[0]!.error})`,
      removedLater,
    };
  }
  return { state: 'clear', checkedAt: at, error: null, removedLater };
}

/** Waits between sweep attempts: short at first, then every 2 s (an attempt itself may take 5 s). */
export const SWEEP_BACKOFF_MS: readonly number[] = [250, 500, 1000, 2000];

/**
 * Keeps removing labelled containers until the engine lists none (then resolves `clear`), the
 * signal aborts, or `deadline` (ms since epoch) passes — each attempt is the kill switch's own
 * removal, so the two never differ. Every attempt is passed to `onProgress`; a frozen or
 * restarting engine is simply retried with bounded backoff. Never throws.
 */
export async function sweepSandboxContainers(
  dockerClient: Docker | Promise<Docker>,
  options: {
    signal?: AbortSignal;
    deadline?: number;
    onProgress?: (sweep: SandboxSweep) => void;
    now?: () => number;
  } = {},
): Promise<SandboxSweep> {
  const now = options.now ?? Date.now;
  let removedLater = 0;
  let sweep: SandboxSweep = {
    state: 'may-remain',
    checkedAt: null,
    error: 'not checked yet',
    removedLater,
  };
  for (let attempt = 0; ; attempt++) {
    if (options.signal?.aborted) return sweep;
    const result = await killSandboxContainers(dockerClient);
    removedLater += result.containers.filter((c) => c.error === null).length;
    // Confirmed only by an answer that listed nothing: after removing some, list once more.
    const confirmed = result.dockerReachable && result.containers.length === 0;
    sweep = confirmed
      ? { state: 'clear', checkedAt: now(), error: null, removedLater }
      : { ...sweepAfterAttempt(result, now(), removedLater), state: 'may-remain' };
    if (!options.signal?.aborted) options.onProgress?.(sweep);
    if (confirmed || options.signal?.aborted) return sweep;
    if (result.dockerReachable && result.containers.every((c) => c.error === null)) continue;
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

function statusOf(error: unknown): number | undefined {
  return typeof error === 'object' && error !== null && 'statusCode' in error
    ? Number(error.statusCode)
    : undefined;
}

/** What a user refused by the Docker socket (EACCES) does about it. */
export const DOCKER_GROUP_FIX =
  'add yourself to the docker group (`sudo usermod -aG docker "$(id -un)"`), then log out and back in';

/** A one-line explanation of a Docker failure that a person can act on. */
export function describeDockerError(error: unknown): string {
  const err = error as NodeJS.ErrnoException & { address?: string; json?: { message?: string } };
  if (err?.code === 'ENOENT' || err?.code === 'ECONNREFUSED') {
    return `Docker is not reachable (${err.code}${err.address ? ` at ${err.address}` : ''}); is the Docker engine running?`;
  }
  if (err?.code === 'EACCES') {
    return `permission denied on the Docker socket${err.address ? ` ${err.address}` : ''}: ${DOCKER_GROUP_FIX}`;
  }
  if (err?.json?.message) return err.json.message;
  return err instanceof Error ? err.message : describeError(error);
}
