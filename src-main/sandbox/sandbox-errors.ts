/** Why no sandbox could be used. */
export type SandboxUnavailableReason =
  /** The Docker engine did not answer (not running, wrong socket, no permission). */
  | 'docker-unreachable'
  /** The sandbox image is not on the engine. */
  | 'image-missing'
  /** The engine answered but refused to create, start or exec in the container. */
  | 'container-failed'
  /** The size-limited workspace could not be made or attached (e.g. a rootless engine). */
  | 'workspace-unavailable'
  /** The engine does not list the configured runtime (`agent.sandbox.docker.runtime`). */
  | 'runtime-missing';

/**
 * A sandboxed tool call was refused because its sandbox is not available. Tools fail closed on
 * it: the message goes to the sender and the owner, and nothing runs on the host instead.
 */
export class SandboxUnavailableError extends Error {
  override readonly name = 'SandboxUnavailableError';
  constructor(
    readonly reason: SandboxUnavailableReason,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Why a file tool failed inside the sandbox. */
export type SandboxFileErrorReason =
  /** The file could not be read or written (missing, a directory, permission, read-only). */
  | 'io'
  /** `edit`: the text to replace is not in the file. */
  | 'not-found'
  /** `edit`: the text to replace occurs more than once, so the edit would be a guess. */
  | 'ambiguous'
  /** The file is larger than the tool handles. */
  | 'too-large'
  /** The path is empty or contains a NUL byte. */
  | 'bad-path'
  /** The workspace has reached its size limit (`agent.sandbox.workspace.maxMiB`). */
  | 'workspace-full';

/** A file tool (read, write, edit) failed inside the sandbox; the message is for the model. */
export class SandboxFileError extends Error {
  override readonly name = 'SandboxFileError';
  constructor(
    readonly reason: SandboxFileErrorReason,
    message: string,
  ) {
    super(message);
  }
}

/** A host-side read of a workspace refused a path (a symlink, `..`, or not a regular file). */
export class WorkspacePathError extends Error {
  override readonly name = 'WorkspacePathError';
  constructor(
    readonly reason: 'symlink' | 'outside' | 'not-a-file',
    message: string,
  ) {
    super(message);
  }
}
