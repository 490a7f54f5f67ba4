import { sep } from 'node:path';
import Docker from 'dockerode';
import { dockerSocketOptions } from '../supervisor/docker-client.js';
import {
  SANDBOX_LABEL,
  SANDBOX_LABEL_FILTER,
  SESSION_KEY_LABEL,
} from '../supervisor/sandbox-labels.js';
import { type ContainerUsage, usageFromStats } from './container-stats.js';
import {
  CREATED_AT_LABEL,
  SPEC_HASH_LABEL,
  WORKSPACE_LABEL,
  buildContainerSpec,
  containerSpecHash,
  sandboxEnv,
} from './container-spec.js';
import {
  type ContainerExecOutcome,
  type ContainerExecRequest,
  ExecNotStartedError,
  runContainerExec,
} from './container-exec.js';
import {
  WRAPPER_CANNOT_FORK_EXIT,
  WRAPPER_CANNOT_FORK_MESSAGE,
  prctlSyscallFor,
  wrapArgv,
} from './exec-wrapper.js';
import { asSandboxUnavailable, dockerStatus, imageMissingError } from './docker-failures.js';
import { DEFAULT_MAX_OUTPUT_BYTES } from './output-limit.js';
import { PRUNE_INTERVAL_MS, pruneVerdict, type PruneVerdict } from './prune-policy.js';
import {
  type SandboxConfig,
  type SandboxConfigInput,
  SandboxConfigSchema,
  isSandboxedSession,
  sandboxScopeKey,
} from '../../src-shared/config/sandbox-schema.js';
import { SandboxFileError, SandboxUnavailableError } from './sandbox-errors.js';
import { sandboxContainerName } from './sandbox-names.js';
import {
  type HostIdentity,
  type SandboxUser,
  currentHostIdentity,
  dockerUser,
  resolveSandboxUser,
} from './sandbox-user.js';
import { replaceExactlyOnce } from './text-edit.js';
import { ensureWorkspace, readLastUsed, sandboxesDir, touchLastUsed } from './workspace.js';

/** A tool command's timeout when the caller gives none. */
export const DEFAULT_EXEC_TIMEOUT_SEC = 120;
/** The longest timeout a tool command may ask for. */
export const MAX_EXEC_TIMEOUT_SEC = 3600;
/** The largest file `readFile` returns whole and `editFile` edits. */
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;
/** How long the host keeps waiting after the in-container `timeout` should have fired. */
const HOST_GRACE_MS = 5000;
/** File tools and the setup command are bounded like any command. */
const FILE_TOOL_TIMEOUT_SEC = 60;
const SETUP_TIMEOUT_SEC = 600;
/** Deadline for control calls (inspect, create, start, remove) so a hung engine cannot hang us. */
const CONTROL_TIMEOUT_MS = 60_000;
/** An idle sandbox runs exactly two processes: the init (docker-init) and `sleep infinity`. */
const BASELINE_PIDS = 2;
/** Stats are best-effort: a container that does not answer in time shows no usage. */
const STATS_TIMEOUT_MS = 10_000;
/** The last-use stamp on disk is refreshed at most this often (memory holds the exact time). */
const LAST_USED_WRITE_INTERVAL_MS = 60_000;

/** How a {@link SandboxManager} is set up. */
export interface SandboxManagerOptions {
  /** `$CLAWDBOT_STATE_DIR`: workspaces go in its `sandboxes/`. */
  stateDir: string;
  /** `agent.sandbox` as written (defaults are applied) or already parsed. */
  config?: SandboxConfigInput;
  /** The engine; default: `DOCKER_HOST` or the local socket. */
  docker?: Docker;
  /** Whose files the workspace should be; default: this process's uid/gid. */
  host?: HostIdentity;
  /** The clock, for tests of pruning. */
  now?: () => number;
}

/** A sandbox container ready for tool calls. */
export interface SandboxHandle {
  name: string;
  id: string;
  scopeKey: string;
  workspaceDir: string;
  /** Whether this call created it (a cold start). */
  created: boolean;
}

/** Options of {@link SandboxManager.exec}. */
export interface SandboxExecOptions {
  /** Kill the command after this many seconds (default 120, at most 3600). */
  timeoutSec?: number;
  /** Keep at most this many bytes of each of stdout and stderr (head and tail). */
  maxOutputBytes?: number;
  /** Stop waiting for the command (it is still killed by its timeout inside the container). */
  signal?: AbortSignal;
}

/** What a command run in a sandbox produced. */
export interface SandboxExecResult {
  stdout: string;
  stderr: string;
  /** The exit code; null when the host stopped waiting before it was known. */
  exitCode: number | null;
  /** The command was killed by its timeout (or the host gave up waiting). */
  timedOut: boolean;
  /** Some output was dropped (see the marker in stdout/stderr). */
  truncated: boolean;
  durationMs: number;
  /** The container it ran in. */
  container: string;
}

/** A file read from a sandbox. */
export interface SandboxFileContent {
  text: string;
  /** The file is larger than the limit and `text` is its beginning only. */
  truncated: boolean;
}

/** One sandbox container, as `clawdbot sandbox list` and the Sandboxes view show it. */
export interface SandboxInfo {
  name: string;
  id: string;
  sessionKey: string | null;
  image: string;
  /** Docker's state: running, exited, paused, … */
  state: string;
  createdAtMs: number;
  lastUsedAtMs: number;
  ageMs: number;
  idleMs: number;
  workspaceDir: string | null;
  /** CPU and memory; null when not running or not asked for. */
  usage: ContainerUsage | null;
}

/** A container removed by {@link SandboxManager.prune}. */
export interface PrunedSandbox {
  name: string;
  sessionKey: string | null;
  why: Exclude<PruneVerdict, null>;
}

/**
 * Runs sandboxed sessions' tools in hardened Docker containers, through the Docker API only.
 *
 * One container per scope key (the session key, or `shared`), created on first use and reused
 * while warm; its per-session workspace is the only thing mounted. Every failure to reach or
 * use a sandbox surfaces as a {@link SandboxUnavailableError}: callers fail closed, and nothing
 * here ever runs anything on the host.
 *
 * No process outlives the tool call that started it: an exec wrapper adopts and kills its
 * leftovers, and a container a command left in a bad state (its wrapper killed, its pids limit
 * full) is restarted. Last use is kept in memory (exact) and on disk beside the workspaces
 * (refreshed at most once a minute), so pruning after a gateway restart still knows which
 * containers were idle.
 */
export class SandboxManager {
  /** The parsed `agent.sandbox` settings. */
  readonly config: SandboxConfig;
  private readonly docker: Docker;
  private readonly stateDir: string;
  private readonly host: HostIdentity;
  private readonly now: () => number;
  private readonly user: SandboxUser;
  private readonly warm = new Map<string, SandboxHandle>();
  private readonly preparing = new Map<string, Promise<SandboxHandle>>();
  private readonly lastUsed = new Map<string, number>();
  private readonly lastUsedWritten = new Map<string, number>();
  private readonly busy = new Map<string, number>();
  private lastPruneAtMs = 0;
  private prctl: Promise<number | undefined> | undefined;

  constructor(options: SandboxManagerOptions) {
    this.config = SandboxConfigSchema.parse(options.config ?? {});
    this.docker = options.docker ?? new Docker(dockerSocketOptions());
    this.stateDir = options.stateDir;
    this.host = options.host ?? currentHostIdentity();
    this.now = options.now ?? Date.now;
    this.user = resolveSandboxUser(this.config.docker.user, this.host);
  }

  /** Whether a session's tools must run in a sandbox (`agent.sandbox.mode`). */
  isSandboxed(sessionKey: string): boolean {
    return isSandboxedSession(sessionKey, this.config);
  }

  /** The container name a session's tools run in. */
  containerNameFor(sessionKey: string): string {
    return sandboxContainerName(sandboxScopeKey(sessionKey, this.config));
  }

  /**
   * Makes sure a session's container exists and runs: reuse it while warm; otherwise inspect,
   * start it if stopped, replace it if it was created from another config, create it if
   * missing (then run `setupCommand` once).
   */
  async ensure(sessionKey: string): Promise<SandboxHandle> {
    const scopeKey = sandboxScopeKey(sessionKey, this.config);
    const name = sandboxContainerName(scopeKey);
    const warm = this.warm.get(name);
    if (warm) return { ...warm, created: false };
    const joined = this.preparing.get(name);
    // Concurrent first calls share one creation; only the call that started it reports it.
    if (joined) return { ...(await joined), created: false };
    const pending = this.prepare(scopeKey, name).finally(() => this.preparing.delete(name));
    this.preparing.set(name, pending);
    return pending;
  }

  /**
   * Runs a shell command (`bash -lc`) in the session's sandbox as the sandbox user, in
   * /workspace, with only the sandbox environment. The command is killed inside the container
   * by `timeout --signal=KILL` (an exec cannot be killed through the API), and whatever it
   * started is killed when it ends (see exec-wrapper.ts); the host stops waiting a little
   * after the timeout in any case.
   */
  async exec(
    sessionKey: string,
    command: string,
    options: SandboxExecOptions = {},
  ): Promise<SandboxExecResult> {
    const timeoutSec = clampTimeout(options.timeoutSec ?? DEFAULT_EXEC_TIMEOUT_SEC);
    const { handle, outcome } = await this.run(sessionKey, {
      argv: ['bash', '-lc', command],
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
    };
  }

  /**
   * Reads a file inside the session's sandbox (relative paths are under /workspace). The path
   * is resolved by the container's kernel as the sandbox user, so it cannot reach the host.
   */
  async readFile(
    sessionKey: string,
    path: string,
    options: { maxBytes?: number } = {},
  ): Promise<SandboxFileContent> {
    checkPath(path);
    const maxBytes = options.maxBytes ?? DEFAULT_MAX_FILE_BYTES;
    const { outcome } = await this.run(sessionKey, {
      argv: ['head', '-c', String(maxBytes + 1), '--', path],
      timeoutSec: FILE_TOOL_TIMEOUT_SEC,
      maxOutputBytes: maxBytes + 1,
    });
    if (outcome.exitCode !== 0) throw fileIoError('read', path, outcome);
    const bytes = outcome.stdout.bytes();
    const truncated = bytes.length > maxBytes;
    return { text: (truncated ? bytes.subarray(0, maxBytes) : bytes).toString('utf8'), truncated };
  }

  /**
   * Writes a file inside the session's sandbox, creating its parent directories. The content
   * travels on the exec's stdin; the kernel refuses anything outside the writable mounts.
   */
  async writeFile(sessionKey: string, path: string, content: string | Buffer): Promise<void> {
    checkPath(path);
    const { outcome } = await this.run(sessionKey, {
      argv: ['bash', '-c', 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1"', 'write', path],
      timeoutSec: FILE_TOOL_TIMEOUT_SEC,
      stdin: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
      maxOutputBytes: 4096,
    });
    if (outcome.exitCode !== 0) throw fileIoError('write', path, outcome);
  }

  /**
   * Replaces the one occurrence of `oldText` with `newText` in a file inside the sandbox;
   * fails (changing nothing) when `oldText` is missing or occurs more than once.
   */
  async editFile(
    sessionKey: string,
    path: string,
    oldText: string,
    newText: string,
  ): Promise<void> {
    const file = await this.readFile(sessionKey, path);
    if (file.truncated) {
      throw new SandboxFileError(
        'too-large',
        `${path} is larger than ${DEFAULT_MAX_FILE_BYTES} bytes; edit it with bash instead`,
      );
    }
    await this.writeFile(sessionKey, path, replaceExactlyOnce(file.text, oldText, newText, path));
  }

  /**
   * Every Clawdbot sandbox container on the engine (labelled `clawdbot.sandbox=1`), with its
   * session, image, age, last use and, for running ones, CPU and memory. Stats take a second
   * per container (the engine samples twice), all in parallel; pass `usage: false` to skip.
   */
  async list(options: { usage?: boolean } = {}): Promise<SandboxInfo[]> {
    let listed: Docker.ContainerInfo[];
    try {
      listed = await this.docker.listContainers({
        all: true,
        filters: { label: [SANDBOX_LABEL_FILTER] },
        abortSignal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
      });
    } catch (error) {
      throw asSandboxUnavailable(this.docker, 'listing sandboxes', error);
    }
    const now = this.now();
    return Promise.all(
      listed.map(async (info): Promise<SandboxInfo> => {
        const name = (info.Names[0] ?? info.Id).replace(/^\//, '');
        const createdAtMs = Number(info.Labels[CREATED_AT_LABEL]) || info.Created * 1000;
        const workspaceDir = info.Labels[WORKSPACE_LABEL] ?? null;
        const lastUsedAtMs = Math.max(
          createdAtMs,
          this.lastUsed.get(name) ?? 0,
          workspaceDir ? (readLastUsed(workspaceDir) ?? 0) : 0,
        );
        let usage: ContainerUsage | null = null;
        if (options.usage !== false && info.State === 'running') {
          // The typings offer no abort signal for stats: bound it by a race instead.
          usage = await Promise.race([
            this.docker.getContainer(info.Id).stats({ stream: false }).then(usageFromStats),
            new Promise<null>((resolve) => setTimeout(resolve, STATS_TIMEOUT_MS, null).unref()),
          ]).catch(() => null);
        }
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
        };
      }),
    );
  }

  /**
   * Stops and removes a sandbox container by name or id. Its workspace stays; the session's
   * next tool call starts a fresh container. Refuses containers that are not Clawdbot sandboxes.
   * Resolves false when there is no such container.
   */
  async stop(nameOrId: string): Promise<boolean> {
    const container = this.docker.getContainer(nameOrId);
    let info: Docker.ContainerInspectInfo;
    try {
      info = await container.inspect({ abortSignal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) });
    } catch (error) {
      if (dockerStatus(error) === 404) return false;
      throw asSandboxUnavailable(this.docker, `inspecting ${nameOrId}`, error);
    }
    if (info.Config.Labels?.[SANDBOX_LABEL] !== '1') {
      throw new Error(`${nameOrId} is not a Clawdbot sandbox container; not touching it`);
    }
    await this.remove(info.Id, info.Name.replace(/^\//, ''));
    return true;
  }

  /**
   * Removes this state directory's containers that have been idle for `prune.idleHours` or
   * were created more than `prune.maxAgeDays` ago (those of an earlier gateway on the same
   * state directory included). Containers of other state directories belong to another
   * Clawdbot and are left to it; the kill switch still removes every one. Workspaces are kept.
   */
  async prune(): Promise<PrunedSandbox[]> {
    this.lastPruneAtMs = this.now();
    const now = this.now();
    const ours = `${sandboxesDir(this.stateDir)}${sep}`;
    const pruned: PrunedSandbox[] = [];
    for (const info of await this.list({ usage: false })) {
      if (!info.workspaceDir?.startsWith(ours)) continue;
      const busy = (this.busy.get(info.name) ?? 0) > 0;
      const why = pruneVerdict({ ...info, busy }, now, this.config.prune);
      if (why === null) continue;
      await this.remove(info.id, info.name);
      pruned.push({ name: info.name, sessionKey: info.sessionKey, why });
    }
    return pruned;
  }

  /** Runs {@link prune} if the last run was at least five minutes ago; otherwise does nothing. */
  async pruneIfDue(): Promise<PrunedSandbox[]> {
    if (this.now() - this.lastPruneAtMs < PRUNE_INTERVAL_MS) return [];
    return this.prune();
  }

  private async remove(id: string, name: string): Promise<void> {
    this.forget(name);
    try {
      await this.docker
        .getContainer(id)
        .remove({ force: true, v: true, abortSignal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) });
    } catch (error) {
      if (dockerStatus(error) !== 404)
        throw asSandboxUnavailable(this.docker, `removing ${name}`, error);
    }
  }

  private forget(name: string): void {
    this.warm.delete(name);
  }

  private async run(
    sessionKey: string,
    request: {
      argv: string[];
      timeoutSec: number;
      stdin?: Buffer;
      maxOutputBytes: number;
      signal?: AbortSignal;
    },
  ): Promise<{ handle: SandboxHandle; outcome: ContainerExecOutcome }> {
    const name = this.containerNameFor(sessionKey);
    // Busy before anything awaits, so a prune running meanwhile never takes this container.
    this.markBusy(name, +1);
    // Pruning is housekeeping: it never delays or fails a tool call.
    if (this.now() - this.lastPruneAtMs >= PRUNE_INTERVAL_MS) {
      void this.pruneIfDue().catch(() => undefined);
    }
    const exec: ContainerExecRequest = {
      cmd: wrapArgv(request.argv, request.timeoutSec, await this.prctlSyscall()),
      user: dockerUser(this.user),
      env: sandboxEnv(this.config.docker),
      stdin: request.stdin,
      waitMs: request.timeoutSec * 1000 + HOST_GRACE_MS,
      maxOutputBytes: request.maxOutputBytes,
      signal: request.signal,
    };
    let handle: SandboxHandle | undefined;
    try {
      handle = await this.ensure(sessionKey);
      let outcome: ContainerExecOutcome;
      try {
        outcome = await runContainerExec(this.docker.getContainer(handle.id), exec);
      } catch (error) {
        // Removed or stopped behind our back (`sandbox stop`, prune, an engine restart): the
        // command never started, so it is safe to bring the container back and run it once.
        const status = error instanceof ExecNotStartedError ? dockerStatus(error.cause) : undefined;
        if (status !== 404 && status !== 409) throw error;
        this.forget(name);
        handle = await this.ensure(sessionKey);
        outcome = await runContainerExec(this.docker.getContainer(handle.id), exec);
      }
      if (isWedged(outcome)) {
        // An earlier command left the pids limit full and the wrapper could not fork: the
        // command never started. A restart kills everything in the container (the workspace
        // stays); then run the command once more.
        await this.docker
          .getContainer(handle.id)
          .restart({ t: 0, abortSignal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) });
        outcome = await runContainerExec(this.docker.getContainer(handle.id), exec);
      }
      await this.restartIfLeftovers(handle, outcome);
      return { handle, outcome };
    } catch (error) {
      const cause = error instanceof ExecNotStartedError ? error.cause : error;
      const status = dockerStatus(cause);
      if (status === 404 || status === 409) this.forget(name);
      throw asSandboxUnavailable(this.docker, `running a command in ${name}`, cause);
    } finally {
      this.markBusy(name, -1);
      if (handle) this.recordUse(handle);
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
  ): Promise<void> {
    const abnormal = outcome.abandoned || outcome.exitCode === null || outcome.exitCode >= 128;
    if (!abnormal || (this.busy.get(handle.name) ?? 0) > 1) return;
    const container = this.docker.getContainer(handle.id);
    try {
      if (await this.holdsOnlyBaseline(container)) return;
      await container.restart({ t: 0, abortSignal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) });
    } catch {
      // The command's result stands; the next call re-inspects the container from scratch.
      this.forget(handle.name);
    }
  }

  private async holdsOnlyBaseline(container: Docker.Container): Promise<boolean> {
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

  /** prctl's syscall number on the engine's architecture, asked once per manager. */
  private prctlSyscall(): Promise<number | undefined> {
    this.prctl ??= this.docker
      .info()
      .then((info: { Architecture?: string }) => prctlSyscallFor(info.Architecture ?? ''))
      .catch(() => {
        // Asked again next time: this one failure says nothing about the architecture.
        this.prctl = undefined;
        return undefined;
      });
    return this.prctl;
  }

  private markBusy(name: string, delta: number): void {
    const count = (this.busy.get(name) ?? 0) + delta;
    if (count > 0) this.busy.set(name, count);
    else this.busy.delete(name);
  }

  private recordUse(handle: SandboxHandle): void {
    const now = this.now();
    this.lastUsed.set(handle.name, now);
    if (now - (this.lastUsedWritten.get(handle.name) ?? 0) < LAST_USED_WRITE_INTERVAL_MS) return;
    this.lastUsedWritten.set(handle.name, now);
    try {
      touchLastUsed(handle.workspaceDir, now);
    } catch {
      // Only pruning reads it, and memory holds the exact time meanwhile.
    }
  }

  private async prepare(scopeKey: string, name: string): Promise<SandboxHandle> {
    const workspaceDir = ensureWorkspace(this.stateDir, scopeKey, this.user, this.host);
    const specHash = containerSpecHash({
      scopeKey,
      workspaceDir,
      config: this.config.docker,
      user: this.user,
    });
    const container = this.docker.getContainer(name);
    let info: Docker.ContainerInspectInfo | undefined;
    try {
      info = await container.inspect({ abortSignal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) });
    } catch (error) {
      if (dockerStatus(error) !== 404)
        throw asSandboxUnavailable(this.docker, `inspecting ${name}`, error);
    }
    if (info) {
      const labels = info.Config.Labels ?? {};
      if (labels[SANDBOX_LABEL] !== '1' || labels[SESSION_KEY_LABEL] !== scopeKey) {
        throw new SandboxUnavailableError(
          'container-failed',
          `a container named ${name} exists but is not this session's sandbox; refusing to use it`,
        );
      }
      if (labels[SPEC_HASH_LABEL] !== specHash) {
        // Created from another config (e.g. before the owner tightened it): replace it.
        await this.remove(info.Id, name);
        info = undefined;
      }
    }
    let created = false;
    let id: string;
    if (info) {
      id = info.Id;
      try {
        if (info.State.Paused) await container.unpause();
        else if (!info.State.Running) await container.start();
      } catch (error) {
        if (dockerStatus(error) !== 304)
          throw asSandboxUnavailable(this.docker, `starting ${name}`, error);
      }
    } else {
      id = await this.create(scopeKey, name, workspaceDir);
      created = true;
    }
    const handle: SandboxHandle = { name, id, scopeKey, workspaceDir, created };
    if (created) await this.runSetup(handle);
    this.warm.set(name, { ...handle, created: false });
    return handle;
  }

  private async create(scopeKey: string, name: string, workspaceDir: string): Promise<string> {
    const spec = buildContainerSpec({
      name,
      scopeKey,
      workspaceDir,
      config: this.config.docker,
      user: this.user,
      createdAtMs: this.now(),
    });
    let container: Docker.Container;
    try {
      container = await this.docker.createContainer({
        ...spec,
        abortSignal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
      });
    } catch (error) {
      if (dockerStatus(error) === 404) throw imageMissingError(this.config.docker.image, error);
      throw asSandboxUnavailable(this.docker, `creating ${name}`, error);
    }
    try {
      await container.start({ abortSignal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) });
    } catch (error) {
      await container.remove({ force: true }).catch(() => undefined);
      throw asSandboxUnavailable(this.docker, `starting ${name}`, error);
    }
    return container.id;
  }

  private async runSetup(handle: SandboxHandle): Promise<void> {
    const setup = this.config.docker.setupCommand;
    if (setup === undefined) return;
    let outcome: ContainerExecOutcome;
    try {
      outcome = await runContainerExec(this.docker.getContainer(handle.id), {
        cmd: wrapArgv(['bash', '-lc', setup], SETUP_TIMEOUT_SEC, await this.prctlSyscall()),
        user: dockerUser(this.user),
        env: sandboxEnv(this.config.docker),
        waitMs: SETUP_TIMEOUT_SEC * 1000 + HOST_GRACE_MS,
        maxOutputBytes: 4096,
      });
    } catch (error) {
      await this.remove(handle.id, handle.name).catch(() => undefined);
      throw asSandboxUnavailable(
        this.docker,
        `setupCommand in ${handle.name}`,
        error instanceof ExecNotStartedError ? error.cause : error,
      );
    }
    if (outcome.exitCode !== 0) {
      // A half-set-up sandbox would be reused while warm: remove it so the next call retries.
      await this.remove(handle.id, handle.name).catch(() => undefined);
      throw new SandboxUnavailableError(
        'container-failed',
        `setupCommand failed in ${handle.name} (exit ${String(outcome.exitCode)}): ${outcome.stderr.text().trim()}`,
      );
    }
  }
}

// The wrapper, or the `timeout` it starts, could not fork: the command itself never started.
function isWedged(outcome: ContainerExecOutcome): boolean {
  const stderr = outcome.stderr.text();
  return (
    (outcome.exitCode === WRAPPER_CANNOT_FORK_EXIT &&
      stderr.startsWith(WRAPPER_CANNOT_FORK_MESSAGE)) ||
    (outcome.exitCode === 125 && stderr.startsWith('timeout: fork system call failed'))
  );
}

function clampTimeout(timeoutSec: number): number {
  if (!Number.isFinite(timeoutSec) || timeoutSec <= 0) return DEFAULT_EXEC_TIMEOUT_SEC;
  return Math.min(Math.ceil(timeoutSec), MAX_EXEC_TIMEOUT_SEC);
}

function checkPath(path: string): void {
  if (path.trim() === '' || path.includes('\0')) {
    throw new SandboxFileError('bad-path', `not a file path: ${JSON.stringify(path)}`);
  }
}

function fileIoError(verb: string, path: string, outcome: ContainerExecOutcome): SandboxFileError {
  const why =
    outcome.exitCode === null
      ? 'timed out'
      : outcome.stderr.text().trim() || `exit ${outcome.exitCode}`;
  return new SandboxFileError('io', `cannot ${verb} ${path}: ${why}`);
}
