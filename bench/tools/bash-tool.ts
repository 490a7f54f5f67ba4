import type { SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import { runTool, type ToolResult } from '../../src-main/gateway/agent/tools/run-tool.js';
import { sandboxRunner } from '../../src-main/gateway/agent/tools/sandbox-runner.js';

/**
 * The agent's bash tool exactly as a sandboxed session's model call reaches it: `runTool` with
 * the session's sandbox runner (argument validation, the sandbox exec, result formatting and
 * truncation), with the tool defaults of the config (120 s, 16 KiB of output).
 */
export function runBashTool(
  sandboxes: SandboxManager,
  sessionKey: string,
  command: string,
): Promise<ToolResult> {
  return runTool(
    { id: 'bench', name: 'bash', args: { command } },
    {
      offered: ['bash'],
      runner: sandboxRunner(sandboxes, sessionKey),
      elevated: null,
      timeoutSec: 120,
      maxOutputBytes: 16_384,
      signal: new AbortController().signal,
    },
  );
}
