import { readdirSync, readFileSync } from 'node:fs';
import type Docker from 'dockerode';
import type { KillEngine } from './kill-engine.js';
import type { ContainerStop } from '../../src-shared/domain/kill-switch.js';
import { describeDockerError, dockerStatus } from './docker-errors.js';
import { DOCKER_REMOVE_TIMEOUT_MS } from './docker-client.js';
import { type FreezeRoute, freezeRouteFromEnv } from './freeze-route.js';
import {
  type FreezerCgroup,
  FREEZE_CONFIRM_TIMEOUT_MS,
  cgroupEmpty,
  findFreezerCgroup,
  freezeCgroup,
  killFrozenCgroup,
} from './cgroup-freezer.js';

/**
 * Stopping a sandbox in two phases: first every process in it stops (the engine's pause API,
 * the cgroup freezer, which takes a fraction of what a removal takes), then the container is
 * removed. A frozen container is never resumed by us; the engine's forced removal, though,
 * signals only the container's first process and then thaws the cgroup, so every other process
 * would run again until the kernel tears the container down. {@link sealFrozen} closes that gap
 * where it can.
 *
 * Where this process can write the container's cgroup (an engine on this machine, run as root
 * or rootless as this user), the container is frozen there directly (cgroup-freezer.ts): the
 * engine's pause goes through containerd and a `runc` process per container, hundreds of
 * milliseconds each under load, while the kernel freezes a cgroup in microseconds. Such a
 * container is {@link releaseForRemoval}d before the engine removes it.
 */

/** How long one pause, kill or wait may take before the container counts as not stopped. */
export const HALT_TIMEOUT_MS = 20_000;

/** How one container's processes were stopped, and why it could not be frozen if it could not. */
export interface HaltOutcome {
  stop: ContainerStop;
  /** What the engine said when pausing failed (then it was killed); null when frozen or gone. */
  freezeError: string | null;
  /**
   * The cgroup it was frozen in directly, which the engine does not know is frozen: it must go
   * through {@link releaseForRemoval} before the engine removes it. Null when the engine paused
   * or killed it.
   */
  cgroup: FreezerCgroup | null;
  /** Whether the kernel itself confirmed the stop (a direct freeze or kill): the engine's listing lags behind it. */
  confirmedByKernel: boolean;
}

/**
 * Stops every process of these containers, all in parallel ({@link haltContainer} each), and
 * then {@link sealFrozen}s them, so the removal that follows lets none run again. Never throws;
 * the outcomes are in the order of `ids`.
 */
export async function haltContainers(
  docker: KillEngine,
  ids: readonly string[],
  route: FreezeRoute = freezeRouteFromEnv(),
): Promise<HaltOutcome[]> {
  const outcomes = await Promise.all(ids.map((id) => haltContainer(docker, id, route)));
  // Only the ones the engine paused: a direct freeze is ended through its cgroup instead.
  sealFrozen(ids.filter((_, i) => outcomes[i]!.stop === 'frozen' && outcomes[i]!.cgroup === null));
  return outcomes;
}

/**
 * Ends the processes of a container frozen directly (see {@link HaltOutcome.cgroup}) so that the
 * engine can remove it; none of them runs another instruction. Null when there was nothing to
 * do or it worked, else what went wrong (the removal follows either way).
 */
export function releaseForRemoval(outcome: Pick<HaltOutcome, 'cgroup'>): string | null {
  return outcome.cgroup === null ? null : killFrozenCgroup(outcome.cgroup);
}

/**
 * Stops every process of a container: freezes its cgroup directly where `route` is `auto` and
 * this process can, else pauses it through the engine (the same freezer); where pausing fails (a
 * runtime or engine without pause, a cgroup v1 freezer that gives up on a forking workload, a
 * container that is not running) SIGKILLs it and waits until the engine sees it stopped.
 * Never throws and never unpauses.
 */
export async function haltContainer(
  docker: KillEngine,
  id: string,
  route: FreezeRoute,
): Promise<HaltOutcome> {
  const direct = route === 'auto' ? await haltThroughCgroup(id) : null;
  if (direct !== null) return direct;
  const container = docker.getContainer(id);
  let freezeError: string;
  try {
    await container.pause({ abortSignal: AbortSignal.timeout(HALT_TIMEOUT_MS) });
    return engineHalt('frozen', null);
  } catch (error) {
    const status = dockerStatus(error);
    if (status === 404) return engineHalt('gone', null);
    // Frozen already: by an earlier attempt, or a second process engaging the switch.
    if (status === 409 && /already paused/i.test(describeDockerError(error)))
      return engineHalt('frozen', null);
    freezeError = describeDockerError(error);
  }
  let stop: ContainerStop = 'killed';
  try {
    await container.kill({ signal: 'SIGKILL', abortSignal: AbortSignal.timeout(HALT_TIMEOUT_MS) });
  } catch (error) {
    const status = dockerStatus(error);
    if (status === 404) return engineHalt('gone', freezeError);
    // 409: not running (exited, never started): nothing in it runs.
    if (status !== 409) {
      return engineHalt(
        'failed',
        `${freezeError}; killing it failed too: ${describeDockerError(error)}`,
      );
    }
    stop = 'not-running';
  }
  // A kill request returns once the signal is sent; stopped is what the engine says after it.
  const waited = await waitForContainer(docker, id, 'not-running');
  if (waited !== null) {
    return engineHalt(
      'failed',
      `${freezeError}; it was killed but the engine did not confirm it stopped: ${waited}`,
    );
  }
  return engineHalt(stop, freezeError);
}

function engineHalt(stop: ContainerStop, freezeError: string | null): HaltOutcome {
  return { stop, freezeError, cgroup: null, confirmedByKernel: false };
}

/**
 * Freezes a container through its cgroup when this process can (see cgroup-freezer.ts): frozen
 * once the kernel says so; where the kernel does not confirm in time, every process in it is
 * killed through the cgroup instead and waited for. Null where the cgroup cannot be reached or
 * written, or the kill could not be confirmed: then the engine's pause and kill follow.
 */
async function haltThroughCgroup(id: string): Promise<HaltOutcome | null> {
  const cgroup = findFreezerCgroup(id);
  if (cgroup === null) return null;
  let frozen: Awaited<ReturnType<typeof freezeCgroup>>;
  try {
    frozen = await freezeCgroup(cgroup);
  } catch {
    return null; // Not writable after all (a read-only cgroup mount): the engine's pause.
  }
  if (frozen === 'frozen')
    return { stop: 'frozen', freezeError: null, cgroup, confirmedByKernel: true };
  const freezeError = `the kernel did not report its cgroup frozen within ${FREEZE_CONFIRM_TIMEOUT_MS} ms`;
  if (killFrozenCgroup(cgroup) !== null) return null;
  const deadline = performance.now() + HALT_TIMEOUT_MS;
  while (!cgroupEmpty(cgroup)) {
    if (performance.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return { stop: 'killed', freezeError, cgroup: null, confirmedByKernel: true };
}

/**
 * Whether a listed container still has processes that run: not for one that is paused, exited,
 * dead or never started. One that someone else is removing (the supervisor and `clawdbot kill`
 * may work at the same time) was SIGKILLed by that removal: it is waited for until it stops,
 * never paused again (a frozen process cannot die, so that removal would hang). Asks the engine
 * for details only in that case.
 */
export async function stillRuns(docker: KillEngine, info: Docker.ContainerInfo): Promise<boolean> {
  switch (info.State) {
    case 'paused':
    case 'exited':
    case 'dead':
    case 'created':
      return false;
    case 'running':
    case 'restarting':
      return true;
    default:
      try {
        const { State } = await docker
          .getContainer(info.Id)
          .inspect({ abortSignal: AbortSignal.timeout(HALT_TIMEOUT_MS) });
        if (!State.Running || State.Paused) return false;
        if (State.Status !== 'removing') return true;
        return (await waitForContainer(docker, info.Id, 'not-running')) !== null;
      } catch (error) {
        return dockerStatus(error) !== 404;
      }
  }
}

/**
 * Whether a forced removal failed only because the engine stopped the container on the way:
 * Podman's forced removal of a frozen container kills it and then trips over the state it just
 * changed ("container state improper: stopped"). The container is stopped by then, and a second
 * removal takes it.
 */
export function isStoppedMidRemoval(error: unknown): boolean {
  return (
    dockerStatus(error) !== 404 && /container state improper/i.test(describeDockerError(error))
  );
}

/**
 * Removes a (frozen or dead) container and its anonymous volumes. Resolves null once it is gone —
 * also when someone else removed it, or is removing it and it then goes — or what the engine
 * said when it is not.
 */
export async function removeContainer(
  docker: KillEngine,
  id: string,
  attempt = 1,
): Promise<string | null> {
  try {
    await docker
      .getContainer(id)
      .remove({ force: true, v: true, abortSignal: AbortSignal.timeout(DOCKER_REMOVE_TIMEOUT_MS) });
    return null;
  } catch (error) {
    if (dockerStatus(error) === 404) return null;
    if (attempt === 1 && isStoppedMidRemoval(error)) return removeContainer(docker, id, 2);
    // Another process (the supervisor, a second `clawdbot kill`) is removing it: wait for that.
    if (dockerStatus(error) === 409 && /already in progress/i.test(describeDockerError(error)))
      return waitForContainer(docker, id, 'removed', DOCKER_REMOVE_TIMEOUT_MS);
    return describeDockerError(error);
  }
}

/** Waits until the engine says the container is `condition`; null then, else why not. */
async function waitForContainer(
  docker: KillEngine,
  id: string,
  condition: 'not-running' | 'removed',
  timeoutMs = HALT_TIMEOUT_MS,
): Promise<string | null> {
  try {
    await docker.getContainer(id).wait({ condition, abortSignal: AbortSignal.timeout(timeoutMs) });
    return null;
  } catch (error) {
    return dockerStatus(error) === 404 ? null : describeDockerError(error);
  }
}

/**
 * SIGKILLs, while they are frozen, every process of these containers that this machine can see:
 * a process belongs to one when its cgroup path names the container's full id (so nothing else is
 * ever hit). A frozen process cannot exit, so its pid cannot be reused meanwhile; the signal
 * waits, and is the first thing each process handles when the engine's removal thaws it, so none
 * runs another instruction. Only for an engine on this machine (Linux, same pid namespace);
 * elsewhere it finds nothing and the engine's own kill is all there is. Never throws; returns how
 * many processes it signalled.
 */
export function sealFrozen(containerIds: readonly string[]): number {
  if (process.platform !== 'linux' || containerIds.length === 0) return 0;
  // Docker's cgroupfs paths end in the id, Podman's in `libpod-<id>`, systemd's in `…-<id>.scope`.
  const marks = containerIds.flatMap((id) => [
    `/${id}\n`,
    `/${id}/`,
    `/libpod-${id}\n`,
    `/libpod-${id}/`,
    `-${id}.scope`,
  ]);
  let signalled = 0;
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return 0;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let cgroups: string;
    try {
      cgroups = `${readFileSync(`/proc/${entry}/cgroup`, 'utf8')}\n`;
    } catch {
      continue; // Gone, or not ours to read.
    }
    if (!marks.some((mark) => cgroups.includes(mark))) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
      signalled++;
    } catch {
      // Not ours to signal (another user's engine): the engine's kill still comes.
    }
  }
  return signalled;
}
