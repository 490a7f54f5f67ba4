import type { SandboxEngineRef } from '../../../../src-shared/domain/sandbox-engine-ref.js';
import type { ToolLocation } from '../../../../src-shared/domain/transcript.js';

/** What a shell command produced. */
export interface CommandOutcome {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  timedOut: boolean;
  /**
   * The command failed while the sandbox's workspace is full: the line to show, naming the
   * limit (absent on the host, which has no such limit).
   */
  workspaceFull?: string;
}

/**
 * Where a session's tools act: its sandbox container, or the host. The agent never picks a
 * runner itself; {@link ./run-tool} gets the one the session's scope allows.
 */
export interface ToolRunner {
  readonly where: ToolLocation;
  /** For a sandbox: the engine's address and the OCI runtime (null: the engine's default). */
  readonly engine?: SandboxEngineRef;
  bash(
    command: string,
    options: { timeoutSec: number; maxOutputBytes: number; signal: AbortSignal },
  ): Promise<CommandOutcome>;
  read(path: string, options: { maxBytes: number }): Promise<{ text: string; truncated: boolean }>;
  write(path: string, content: string): Promise<void>;
  edit(path: string, oldText: string, newText: string): Promise<void>;
}

/**
 * A tool cannot run at all (the sandbox is unavailable): the turn stops, and the sender and
 * the owner are told. Never answered by running the tool somewhere else.
 */
export class ToolUnavailableError extends Error {
  override readonly name = 'ToolUnavailableError';
  /** Only a sandbox can be out of reach: the host runner always runs. */
  readonly where: ToolLocation = 'sandbox';
}
