import type { ContainerExecOutcome } from './container-exec.js';
import { SandboxFileError } from './sandbox-errors.js';
import { workspaceFullMessage } from './workspace-full.js';
import { DEFAULT_MAX_FILE_BYTES, type SandboxFileContent } from './sandbox-types.js';
import { replaceExactlyOnce } from './text-edit.js';
import type { WrappedExecRequest } from './wrapped-exec.js';

/** File tools are bounded like any command. */
const FILE_TOOL_TIMEOUT_SEC = 60;

/** Runs a command in the session's sandbox (the manager binds the session). */
export type RunInSandbox = (
  request: WrappedExecRequest,
) => Promise<{ outcome: ContainerExecOutcome; workspaceFull: boolean }>;

/**
 * The file tools, done as commands inside the sandbox rather than as host file access: paths
 * are resolved by the container's kernel as the sandbox user, so a symlink or `..` in the
 * workspace cannot reach the host, and the read-only root refuses writes outside the mounts.
 */
export class SandboxFiles {
  constructor(
    private readonly run: RunInSandbox,
    private readonly maxMiB: number,
  ) {}

  /** Reads a file (relative paths are under /workspace), at most `maxBytes` of it. */
  async read(path: string, maxBytes = DEFAULT_MAX_FILE_BYTES): Promise<SandboxFileContent> {
    checkPath(path);
    const { outcome } = await this.run({
      argv: ['head', '-c', String(maxBytes + 1), '--', path],
      timeoutSec: FILE_TOOL_TIMEOUT_SEC,
      maxOutputBytes: maxBytes + 1,
    });
    if (outcome.exitCode !== 0) throw fileIoError('read', path, outcome);
    const bytes = outcome.stdout.bytes();
    const truncated = bytes.length > maxBytes;
    return { text: (truncated ? bytes.subarray(0, maxBytes) : bytes).toString('utf8'), truncated };
  }

  /** Writes a file, creating its parent directories; the content travels on stdin. */
  async write(path: string, content: string | Buffer): Promise<void> {
    checkPath(path);
    const { outcome, workspaceFull } = await this.run({
      argv: ['bash', '-c', 'mkdir -p -- "$(dirname -- "$1")" && cat > "$1"', 'write', path],
      timeoutSec: FILE_TOOL_TIMEOUT_SEC,
      stdin: typeof content === 'string' ? Buffer.from(content, 'utf8') : content,
      maxOutputBytes: 4096,
    });
    if (workspaceFull) {
      throw new SandboxFileError(
        'workspace-full',
        `cannot write ${path}: ${workspaceFullMessage(this.maxMiB)}`,
      );
    }
    if (outcome.exitCode !== 0) throw fileIoError('write', path, outcome);
  }

  /** Replaces the one occurrence of `oldText`; changes nothing when it is missing or repeated. */
  async edit(path: string, oldText: string, newText: string): Promise<void> {
    const file = await this.read(path);
    if (file.truncated) {
      throw new SandboxFileError(
        'too-large',
        `${path} is larger than ${DEFAULT_MAX_FILE_BYTES} bytes; edit it with bash instead`,
      );
    }
    await this.write(path, replaceExactlyOnce(file.text, oldText, newText, path));
  }
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
