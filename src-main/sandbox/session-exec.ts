import type Docker from 'dockerode';
import { type ContainerExecOutcome, ExecNotStartedError } from './container-exec.js';
import type { ContainerLifecycle } from './container-lifecycle.js';
import { dockerStatus } from '../docker/docker-errors.js';
import { asSandboxUnavailable } from './docker-failures.js';
import { WRAPPER_CANNOT_FORK_EXIT, WRAPPER_CANNOT_FORK_MESSAGE } from './exec-wrapper.js';
import type { SandboxActivity } from './sandbox-activity.js';
import type { SandboxHandle } from './sandbox-types.js';
import type { WorkspaceFullWatch } from './workspace-full.js';
import type { WrappedExec, WrappedExecRequest } from './wrapped-exec.js';

/** An idle sandbox runs exactly two processes: the init (docker-init) and `sleep infinity`. */
const BASELINE_PIDS = 2;

/** What {@link SessionExec} works with. */
export interface SessionExecDeps {
  docker: Docker;
  lifecycle: ContainerLifecycle;
  activity: SandboxActivity;
  exec: WrappedExec;
  fullness: WorkspaceFullWatch;
  /** Housekeeping started (never awaited) at each call, e.g. a prune when one is due. */
  onCall: () => void;
}

/** One command's run: where it ran, what it produced, and whether the workspace was full. */
export interface SessionRun {
  handle: SandboxHandle;
  outcome: ContainerExecOutcome;
  /** The command failed while its workspace is full (see workspace-full.ts). */
  workspaceFull: boolean;
}

/**
 * Runs one tool command in a scope key's container and makes the container fit for the next:
 * brings it back if it vanished before the command started, restarts it if an earlier command
 * left it unable to fork, and restarts it if this command left processes behind. Every failure
 * surfaces as a `SandboxUnavailableError`; nothing here ever runs anything on the host.
 */
export class SessionExec {
  constructor(private readonly deps: SessionExecDeps) {}

  async run(scopeKey: string, name: string, request: WrappedExecRequest): Promise<SessionRun> {
    const { lifecycle, activity, exec } = this.deps;
    // Busy before anything awaits, so a prune running meanwhile never takes this container.
    activity.markBusy(name, 1);
    this.deps.onCall();
    let handle: SandboxHandle | undefined;
    try {
      handle = await lifecycle.ensure(scopeKey);
      let outcome: ContainerExecOutcome;
      try {
        outcome = await exec.run(handle.id, request);
      } catch (error) {
        // Removed or stopped behind our back (`sandbox stop`, prune, an engine restart): the
        // command never started, so it is safe to bring the container back and run it once.
        const status = error instanceof ExecNotStartedError ? dockerStatus(error.cause) : undefined;
        if (status !== 404 && status !== 409) throw error;
        lifecycle.forget(name);
        handle = await lifecycle.ensure(scopeKey);
        outcome = await exec.run(handle.id, request);
      }
      if (isWedged(outcome)) {
        // An earlier command left the pids limit full and the wrapper could not fork: the
        // command never started. A restart kills everything in the container (the workspace
        // stays); then run the command once more.
        handle = await lifecycle.restart(handle);
        outcome = await exec.run(handle.id, request);
      }
      handle = await this.restartIfLeftovers(handle, outcome);
      const workspaceFull = await this.deps.fullness.check(scopeKey, handle, outcome);
      return { handle, outcome, workspaceFull };
    } catch (error) {
      const cause = error instanceof ExecNotStartedError ? error.cause : error;
      const status = dockerStatus(cause);
      if (status === 404 || status === 409) lifecycle.forget(name);
      throw asSandboxUnavailable(this.deps.docker, `running a command in ${name}`, cause);
    } finally {
      activity.markBusy(name, -1);
      if (handle) activity.recordUse(handle.name, handle.workspaceDir);
    }
  }

  /**
   * After a command that did not end normally (killed, timed out, abandoned by the host), makes
   * sure it left nothing running: the exec wrapper normally cleans up, but a command can kill
   * the wrapper first (same uid). If no other command of ours is running in the container and
   * it holds more than its init and `sleep`, it is restarted, which kills everything in it;
   * the workspace stays. Commands that exit normally pay nothing for this.
   */
  private async restartIfLeftovers(
    handle: SandboxHandle,
    outcome: ContainerExecOutcome,
  ): Promise<SandboxHandle> {
    const abnormal = outcome.abandoned || outcome.exitCode === null || outcome.exitCode >= 128;
    if (!abnormal || this.deps.activity.busyCount(handle.name) > 1) return handle;
    try {
      if (await this.holdsOnlyBaseline(handle.id)) return handle;
      return await this.deps.lifecycle.restart(handle);
    } catch {
      // The command's result stands; the next call re-inspects the container from scratch.
      this.deps.lifecycle.forget(handle.name);
      return handle;
    }
  }

  private async holdsOnlyBaseline(id: string): Promise<boolean> {
    const container = this.deps.docker.getContainer(id);
    for (let look = 0; look < 3; look++) {
      // one-shot: the current counters, without the engine's one-second CPU sampling.
      const stats = (await container.stats({ stream: false, 'one-shot': true })) as {
        pids_stats?: { current?: number };
      };
      if ((stats.pids_stats?.current ?? 0) <= BASELINE_PIDS) return true;
      // An exec's last process may still be on its way out; look again shortly.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return false;
  }
}

// The wrapper could not fork: the command itself never started.
function isWedged(outcome: ContainerExecOutcome): boolean {
  return (
    outcome.exitCode === WRAPPER_CANNOT_FORK_EXIT &&
    outcome.stderr.text().startsWith(WRAPPER_CANNOT_FORK_MESSAGE)
  );
}
