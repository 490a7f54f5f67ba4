import Docker from 'dockerode';
import { dockerFor } from '../docker/docker-client.js';
import { type EngineTarget, resolveEngine } from '../docker/engine-target.js';
import { recordEngineUse } from '../docker/engine-record.js';
import { ContainerLifecycle } from './container-lifecycle.js';
import { DEFAULT_MAX_OUTPUT_BYTES } from './output-limit.js';
import {
  type SandboxConfig,
  SandboxConfigSchema,
  isSandboxedSession,
  sandboxScopeKey,
} from '../../src-shared/config/sandbox-schema.js';
import { SandboxActivity } from './sandbox-activity.js';
import { controlDeadline } from './docker-control.js';
import { dockerStatus } from '../docker/docker-errors.js';
import { asSandboxUnavailable } from './docker-failures.js';
import { WorkspacePathError } from './sandbox-errors.js';
import { SandboxFiles } from './sandbox-files.js';
import { SandboxInventory } from './sandbox-inventory.js';
import { sandboxContainerName } from './sandbox-names.js';
import type { SandboxEngineRef } from '../../src-shared/domain/sandbox-engine-ref.js';
import {
  DEFAULT_EXEC_TIMEOUT_SEC,
  MAX_EXEC_TIMEOUT_SEC,
  type PrunedSandbox,
  type SandboxExecOptions,
  type SandboxExecResult,
  type SandboxFileContent,
  type SandboxHandle,
  type SandboxInfo,
  type SandboxListOptions,
  type SandboxManagerOptions,
} from './sandbox-types.js';
import { currentHostIdentity, resolveSandboxUser } from './sandbox-user.js';
import { SessionExec, type SessionRun } from './session-exec.js';
import { USAGE_PROBE_ARGV, WorkspaceFullWatch, parseUsage } from './workspace-full.js';
import { WorkspaceImages, type WorkspaceBacking } from './workspace-image.js';
import { containerMarker } from '../process/container-environment.js';
import { installationId } from '../installation-id.js';
import { readContainerFile } from './workspace-archive.js';
import { WrappedExec } from './wrapped-exec.js';
import type { Logger } from '../logging/logger.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

export {
  DEFAULT_EXEC_TIMEOUT_SEC,
  DEFAULT_MAX_FILE_BYTES,
  MAX_EXEC_TIMEOUT_SEC,
  type PrunedSandbox,
  type SandboxExecOptions,
  type SandboxExecResult,
  type SandboxFileContent,
  type SandboxHandle,
  type SandboxInfo,
  type SandboxListOptions,
  type SandboxManagerOptions,
} from './sandbox-types.js';

/**
 * Where workspace images live for `agent.sandbox.workspace.backing`: `auto` means a named volume
 * when the engine cannot see this process's paths (it runs in a container, or the engine is on
 * another machine: `tcp://`, `ssh://`), else the state directory. On a remote engine the volume
 * and the loop device holding the size-limited image are both on the engine's host, made by
 * the workspace helper there; host-side reads go through the engine's archive API.
 */
export function resolveWorkspaceBacking(
  setting: SandboxConfig['workspace']['backing'],
  remoteEngine = false,
): WorkspaceBacking {
  if (setting !== 'auto') return setting;
  return remoteEngine || containerMarker() !== null ? 'volume' : 'host-dir';
}

/**
 * Runs sandboxed sessions' tools in hardened Docker containers, through the Docker API only.
 * A thin facade over the parts that do the work:
 *
 * - container-lifecycle.ts: one container per scope key (the session key, or `shared`),
 *   created on first use and reused while warm; its workspace is the only thing mounted;
 * - session-exec.ts + wrapped-exec.ts: one tool command, under the exec wrapper, and keeping
 *   the container fit for the next (no process outlives the tool call that started it);
 * - sandbox-files.ts: read, write and edit, as commands inside the sandbox;
 * - sandbox-inventory.ts + sandbox-activity.ts: listing, stopping, pruning; busy and last use.
 *
 * Every failure to reach or use a sandbox surfaces as a `SandboxUnavailableError`: callers fail
 * closed, and nothing here ever runs anything on the host.
 */
export class SandboxManager {
  /** The parsed `agent.sandbox` settings. */
  readonly config: SandboxConfig;
  /** This installation's id (installation-id.ts): its sandboxes' names and labels carry it. */
  readonly installationId: string;
  /**
   * Where this manager's sandboxes run, for the transcript: the engine's address (as
   * `agent.sandbox.engine` or `DOCKER_HOST` names it, never a key) and the OCI runtime asked for
   * (null: the engine's default).
   */
  readonly engine: SandboxEngineRef;
  private readonly docker: Docker;
  private readonly lifecycle: ContainerLifecycle;
  private readonly sessions: SessionExec;
  private readonly inventory: SandboxInventory;
  private readonly log: Logger;
  private readonly stateDir: string;
  /** The engine, until recorded (null when a client was given: its engine is not known here). */
  private unrecordedEngine: EngineTarget | null;

  constructor(options: SandboxManagerOptions) {
    this.config = SandboxConfigSchema.parse(options.config ?? {});
    this.log = options.log;
    const engine = resolveEngine(this.config.engine);
    const docker = options.docker ?? dockerFor(Docker, engine);
    this.unrecordedEngine = options.docker ? null : engine;
    this.engine = { endpoint: engine.endpoint, runtime: this.config.docker.runtime ?? null };
    this.stateDir = options.stateDir;
    const host = options.host ?? currentHostIdentity();
    const now = options.now ?? Date.now;
    const user = resolveSandboxUser(this.config.docker.user, host);
    const exec = new WrappedExec(docker, this.config.docker, user);
    const activity = new SandboxActivity(now);
    const { stateDir } = options;
    const installation = options.installationId ?? installationId(stateDir);
    this.installationId = installation;
    this.docker = docker;
    this.lifecycle = new ContainerLifecycle({
      docker,
      config: this.config,
      stateDir,
      installationId: installation,
      user,
      now,
      exec,
      workspaces: new WorkspaceImages(
        docker,
        options.workspaceBacking ??
          resolveWorkspaceBacking(this.config.workspace.backing, engine.remote),
      ),
    });
    const lifecycle = this.lifecycle;
    this.inventory = new SandboxInventory({
      docker,
      stateDir,
      installationId: installation,
      prune: this.config.prune,
      lifecycle,
      activity,
      now,
    });
    // The one place pruning is started: each tool call, when one is due. It is housekeeping:
    // it never delays or fails the call, and a failure is logged, not thrown.
    const onCall = (): void => {
      if (this.inventory.pruneDue()) void this.pruneIfDue();
    };
    const fullness = new WorkspaceFullWatch({
      maxMiB: this.config.workspace.maxMiB,
      onFull: options.onWorkspaceFull,
      probe: async (id) => {
        const probe = await exec.run(id, {
          argv: [...USAGE_PROBE_ARGV],
          timeoutSec: 10,
          maxOutputBytes: 256,
        });
        return probe.exitCode === 0 ? parseUsage(probe.stdout.text()) : null;
      },
    });
    this.sessions = new SessionExec({ docker, lifecycle, activity, exec, fullness, onCall });
  }

  /** Whether a session's tools must run in a sandbox (`agent.sandbox.mode`). */
  isSandboxed(sessionKey: string): boolean {
    return isSandboxedSession(sessionKey, this.config);
  }

  /** The container name a session's tools run in. */
  containerNameFor(sessionKey: string): string {
    return sandboxContainerName(sandboxScopeKey(sessionKey, this.config), this.installationId);
  }

  /**
   * Makes sure a session's container exists and runs (see `ContainerLifecycle.ensure`); the
   * handle says whether this call created it.
   */
  ensure(sessionKey: string): Promise<SandboxHandle> {
    this.noteEngineUse();
    return this.lifecycle.ensure(sandboxScopeKey(sessionKey, this.config));
  }

  /**
   * Records the engine in the state directory before the first sandbox is made there, so the
   * kill switch still reaches it after `agent.sandbox.engine` (or `DOCKER_HOST`) changes.
   */
  private noteEngineUse(): void {
    const engine = this.unrecordedEngine;
    if (engine === null) return;
    this.unrecordedEngine = null;
    try {
      recordEngineUse(this.stateDir, engine);
    } catch (error) {
      this.log.warn(
        'recording the sandbox engine failed: after a change of engine, the kill switch may not reach this one',
        {
          engine: engine.endpoint,
          error: describeError(error),
        },
      );
    }
  }

  /**
   * Runs a shell command (`bash -c`) in the session's sandbox as the sandbox user, in
   * /workspace, with only the sandbox environment (PATH, HOME and LANG are set there, so no
   * login shell is needed to find them). The exec wrapper kills the command with SIGKILL at its
   * timeout, inside the container (an exec cannot be killed through the API), and whatever it
   * started when it ends (see exec-wrapper.ts); the host stops waiting a little after the
   * timeout in any case.
   */
  async exec(
    sessionKey: string,
    command: string,
    options: SandboxExecOptions = {},
  ): Promise<SandboxExecResult> {
    const timeoutSec = clampTimeout(options.timeoutSec ?? DEFAULT_EXEC_TIMEOUT_SEC);
    const { handle, outcome, workspaceFull } = await this.runIn(sessionKey, {
      argv: ['bash', '-c', command],
      timeoutSec,
      maxOutputBytes: options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES,
      signal: options.signal,
    });
    // The wrapper reports a command killed by its timeout as 137 (128 + SIGKILL); a command
    // killed by the OOM killer also ends with 137, but early.
    const killedByTimeout =
      outcome.exitCode === 137 && outcome.durationMs >= timeoutSec * 1000 - 250;
    return {
      stdout: outcome.stdout.text(),
      stderr: outcome.stderr.text(),
      exitCode: outcome.exitCode,
      timedOut: outcome.abandoned || killedByTimeout,
      truncated: outcome.stdout.truncated || outcome.stderr.truncated,
      durationMs: Math.round(outcome.durationMs),
      container: handle.name,
      workspaceFull,
    };
  }

  /** Reads a file inside the session's sandbox (relative paths are under /workspace). */
  readFile(
    sessionKey: string,
    path: string,
    options: { maxBytes?: number } = {},
  ): Promise<SandboxFileContent> {
    return this.filesOf(sessionKey).read(path, options.maxBytes);
  }

  /** Writes a file inside the session's sandbox, creating its parent directories. */
  writeFile(sessionKey: string, path: string, content: string | Buffer): Promise<void> {
    return this.filesOf(sessionKey).write(path, content);
  }

  /**
   * Replaces the one occurrence of `oldText` with `newText` in a file inside the sandbox;
   * fails (changing nothing) when `oldText` is missing or occurs more than once.
   */
  editFile(sessionKey: string, path: string, oldText: string, newText: string): Promise<void> {
    return this.filesOf(sessionKey).edit(path, oldText, newText);
  }

  /**
   * Reads a file of the session's workspace for host-side code (an export, a test), through
   * the engine's archive API: the engine resolves the path inside the container, so a symlink
   * the sandbox planted can never reach a host file, and a symlink itself is refused. Relative
   * paths are under /workspace; paths outside it are refused.
   */
  async readWorkspaceFile(sessionKey: string, relPath: string): Promise<Buffer> {
    const handle = await this.ensure(sessionKey);
    try {
      return await readContainerFile(this.docker, handle.id, relPath);
    } catch (error) {
      // A 404 can also mean the container itself was removed behind our back (the kill switch,
      // `sandbox stop`): bring it back, with its workspace checked, and read once more.
      if (!(error instanceof WorkspacePathError) || (await this.exists(handle.id))) throw error;
      this.lifecycle.forget(handle.name);
      const again = await this.ensure(sessionKey);
      return readContainerFile(this.docker, again.id, relPath);
    }
  }

  private async exists(id: string): Promise<boolean> {
    try {
      await this.docker.getContainer(id).inspect({ abortSignal: controlDeadline() });
      return true;
    } catch (error) {
      if (dockerStatus(error) === 404) return false;
      throw asSandboxUnavailable(this.docker, 'inspecting a sandbox', error);
    }
  }

  /**
   * One file of a running sandbox's workspace by the container's name or id, for the UI: through
   * the engine's archive API on any engine (a remote engine's workspace is one of its volumes).
   * Null when there is no such container; at most `maxBytes`.
   */
  readSandboxFile(nameOrId: string, relPath: string, maxBytes: number): Promise<Buffer | null> {
    return this.inventory.readFile(nameOrId, relPath, maxBytes);
  }

  /** This installation's sandbox containers on the engine, with usage unless `usage: false`. */
  list(options: SandboxListOptions = {}): Promise<SandboxInfo[]> {
    return this.inventory.list(options);
  }

  /**
   * Stops and removes a sandbox container by name or id. Its workspace stays; the session's
   * next tool call starts a fresh container. Refuses containers that are not Clawdbot sandboxes.
   * Resolves false when there is no such container.
   */
  stop(nameOrId: string): Promise<boolean> {
    return this.inventory.stop(nameOrId);
  }

  /**
   * Removes this state directory's containers idle for `prune.idleHours` or older than
   * `prune.maxAgeDays` (the kill switch still removes every one). Workspaces are kept.
   */
  prune(): Promise<PrunedSandbox[]> {
    return this.inventory.prune();
  }

  /**
   * Runs {@link prune} if the last run was at least five minutes ago; otherwise does nothing.
   * Housekeeping: it never rejects. A failure is logged and nothing counts as pruned.
   */
  async pruneIfDue(): Promise<PrunedSandbox[]> {
    try {
      return await this.inventory.pruneIfDue();
    } catch (error) {
      this.log.warn('pruning sandboxes failed', { error: describeError(error) });
      return [];
    }
  }

  private runIn(
    sessionKey: string,
    request: Parameters<SessionExec['run']>[2],
  ): Promise<SessionRun> {
    const scopeKey = sandboxScopeKey(sessionKey, this.config);
    return this.sessions.run(
      scopeKey,
      sandboxContainerName(scopeKey, this.installationId),
      request,
    );
  }

  private filesOf(sessionKey: string): SandboxFiles {
    return new SandboxFiles(
      (request) => this.runIn(sessionKey, request),
      this.config.workspace.maxMiB,
    );
  }
}

function clampTimeout(timeoutSec: number): number {
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) return DEFAULT_EXEC_TIMEOUT_SEC;
  return Math.min(Math.ceil(timeoutSec), MAX_EXEC_TIMEOUT_SEC);
}
