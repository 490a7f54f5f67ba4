import type Docker from 'dockerode';
import type { SandboxConfigInput } from '../../src-shared/config/sandbox-schema.js';
import type { Logger } from '../logging/logger.js';
import type { ContainerUsage } from './container-stats.js';
import type { PruneVerdict } from './prune-policy.js';
import type { HostIdentity } from './sandbox-user.js';
import type { WorkspaceFullEvent } from './workspace-full.js';
import type { WorkspaceBacking } from './workspace-image.js';

/** A tool command's timeout when the caller gives none. */
export const DEFAULT_EXEC_TIMEOUT_SEC = 120;
/** The longest timeout a tool command may ask for. */
export const MAX_EXEC_TIMEOUT_SEC = 3600;
/** The largest file `readFile` returns whole and `editFile` edits. */
export const DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024;

/** How a `SandboxManager` is set up. */
export interface SandboxManagerOptions {
  /** `$CLAWDBOT_STATE_DIR`: workspaces go in its `sandboxes/`. */
  stateDir: string;
  /** The installation whose sandboxes these are; default: the state directory's own id. */
  installationId?: string;
  /** `agent.sandbox` as written (defaults are applied) or already parsed. */
  config?: SandboxConfigInput;
  /** The engine; default: `DOCKER_HOST` or the local socket. */
  docker?: Docker;
  /** Where workspace images live; default: as `agent.sandbox.workspace.backing` says. */
  workspaceBacking?: WorkspaceBacking;
  /** Whose files the workspace should be; default: this process's uid/gid. */
  host?: HostIdentity;
  /** The clock, for tests of pruning. */
  now?: () => number;
  /** Where housekeeping failures (pruning) go: they never fail a tool call, and never vanish. */
  log: Logger;
  /**
   * Called once when a session's workspace is found full (and again only after it has had
   * room since): the owner should be told.
   */
  onWorkspaceFull?: (event: WorkspaceFullEvent) => void;
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

/** Options of `SandboxManager.exec`. */
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
  /** The command failed while the workspace is full (at `agent.sandbox.workspace.maxMiB`). */
  workspaceFull: boolean;
}

/** A file read from a sandbox. */
export interface SandboxFileContent {
  text: string;
  /** The file is larger than the limit and `text` is its beginning only. */
  truncated: boolean;
}

/**
 * What a sandbox listing asks of the engine beyond the listing itself: each costs a call per
 * container (`stats`, which samples for a second or two, and an inspection). Both default on.
 */
export interface SandboxListOptions {
  /** CPU and memory of each running container. */
  usage?: boolean;
  /** The OCI runtime of each container. */
  runtime?: boolean;
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
  /** The OCI runtime it runs under (`runc`, `runsc`); null when the engine did not say. */
  runtime: string | null;
}

/** A container removed by `SandboxManager.prune`. */
export interface PrunedSandbox {
  name: string;
  sessionKey: string | null;
  why: Exclude<PruneVerdict, null>;
}
