import type { SandboxManager } from '../../../sandbox/sandbox-manager.js';
import { SandboxUnavailableError } from '../../../sandbox/sandbox-errors.js';
import { workspaceFullMessage } from '../../../sandbox/workspace-full.js';
import { ToolUnavailableError, type ToolRunner } from './tool-runner.js';

/**
 * Runs a session's tools inside its container, through the Docker API only (exec and stdin):
 * the kernel keeps every path and process in. A sandbox that cannot be reached becomes a
 * {@link ToolUnavailableError}, which stops the turn; nothing falls back to the host.
 */
export function sandboxRunner(sandboxes: SandboxManager, sessionKey: string): ToolRunner {
  const unavailable = <T>(promise: Promise<T>): Promise<T> =>
    promise.catch((error: unknown) => {
      if (error instanceof SandboxUnavailableError) {
        throw new ToolUnavailableError(error.message, { cause: error });
      }
      throw error;
    });
  return {
    where: 'sandbox',
    engine: sandboxes.engine,
    bash: async (command, options) => {
      const result = await unavailable(
        sandboxes.exec(sessionKey, command, {
          timeoutSec: options.timeoutSec,
          maxOutputBytes: options.maxOutputBytes,
          signal: options.signal,
        }),
      );
      return result.workspaceFull
        ? { ...result, workspaceFull: workspaceFullMessage(sandboxes.config.workspace.maxMiB) }
        : { ...result, workspaceFull: undefined };
    },
    read: (path, options) => unavailable(sandboxes.readFile(sessionKey, path, options)),
    write: (path, content) => unavailable(sandboxes.writeFile(sessionKey, path, content)),
    edit: (path, oldText, newText) =>
      unavailable(sandboxes.editFile(sessionKey, path, oldText, newText)),
  };
}
