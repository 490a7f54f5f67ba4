import { TOOL_NAMES, type ToolName } from '../../../../src-shared/config/agent-schema.js';
import type { ToolCallStatus, ToolLocation } from '../../../../src-shared/domain/transcript.js';
import { truncateMiddle } from '../../../sandbox/output-limit.js';
import type { ToolCall } from '../model/model-types.js';
import { parseToolArgs } from './tool-definitions.js';
import { ToolUnavailableError, type CommandOutcome, type ToolRunner } from './tool-runner.js';
import { describeError } from '../../../../src-shared/errors/describe-error.js';
import { DENIED_TEXT } from '../../../../src-shared/domain/approvals.js';

/** What one tool call may use. */
export interface ToolContext {
  /** The tools this session was offered; anything else is refused, whatever the model says. */
  offered: readonly ToolName[];
  /** Where the session's tools run. */
  runner: ToolRunner;
  /** The host, when elevated is on for this message: only `bash` goes there. */
  elevated: ToolRunner | null;
  timeoutSec: number;
  maxOutputBytes: number;
  signal: AbortSignal;
  /**
   * Asked before a `bash` command runs, with the exact text and the runner it would run on
   * (where, and for a sandbox its engine and runtime): false means it does not run (the owner
   * denied it, or the approvals policy did). Absent: no approvals.
   */
  approve?: (command: string, runner: Pick<ToolRunner, 'where' | 'engine'>) => Promise<boolean>;
}

/** What a tool call produced, as the model and the transcript see it. */
export interface ToolResult {
  content: string;
  ok: boolean;
  /** How the call ended; `ok` is `status === 'ok'`. */
  status: Exclude<ToolCallStatus, 'killed' | 'interrupted'>;
  where: ToolLocation;
  elevated: boolean;
  durationMs: number;
}

function isToolName(name: string): name is ToolName {
  return (TOOL_NAMES as readonly string[]).includes(name);
}

function describeCommand(outcome: CommandOutcome, timeoutSec: number): string {
  const parts = [
    ...(outcome.workspaceFull ? [outcome.workspaceFull] : []),
    outcome.timedOut
      ? `killed after ${timeoutSec} s (timeout)`
      : `exit code ${outcome.exitCode ?? 'unknown'}`,
  ];
  if (outcome.stdout) parts.push(`stdout:\n${outcome.stdout}`);
  if (outcome.stderr) parts.push(`stderr:\n${outcome.stderr}`);
  if (!outcome.stdout && !outcome.stderr) parts.push('(no output)');
  return parts.join('\n');
}

/**
 * Runs one tool call the model asked for. Unknown or unoffered tools and bad arguments come
 * back as error results the model can read; a sandbox that cannot be reached throws
 * {@link ToolUnavailableError} so the whole turn stops.
 */
export async function runTool(call: ToolCall, context: ToolContext): Promise<ToolResult> {
  const started = performance.now();
  const done = (
    content: string,
    status: ToolResult['status'],
    where: ToolLocation = context.runner.where,
    elevated = false,
  ): ToolResult => ({
    content: truncateMiddle(content, context.maxOutputBytes),
    ok: status === 'ok',
    status,
    where,
    elevated,
    durationMs: Math.round(performance.now() - started),
  });
  if (!isToolName(call.name) || !context.offered.includes(call.name)) {
    return done(`tool ${JSON.stringify(call.name)} is not available in this session`, 'refused');
  }
  try {
    switch (call.name) {
      case 'bash': {
        const parsed = parseToolArgs('bash', call.args);
        if (!parsed.ok) return done(parsed.message, 'error');
        const runner = context.elevated ?? context.runner;
        // The turn waits here for the owner; what was approved is this very string.
        const command = parsed.args.command;
        if (context.approve && !(await context.approve(command, runner))) {
          return done(DENIED_TEXT, 'denied', runner.where, context.elevated !== null);
        }
        const timeoutSec = Math.min(
          parsed.args.timeoutSec ?? context.timeoutSec,
          context.timeoutSec,
        );
        const outcome = await runner.bash(command, {
          timeoutSec,
          maxOutputBytes: context.maxOutputBytes,
          signal: context.signal,
        });
        const ok = !outcome.timedOut && outcome.exitCode === 0;
        return done(
          describeCommand(outcome, timeoutSec),
          ok ? 'ok' : 'error',
          runner.where,
          context.elevated !== null,
        );
      }
      case 'read': {
        const parsed = parseToolArgs('read', call.args);
        if (!parsed.ok) return done(parsed.message, 'error');
        const file = await context.runner.read(parsed.args.path, {
          maxBytes: context.maxOutputBytes,
        });
        return done(
          file.truncated
            ? `${file.text}\n[... file truncated at ${context.maxOutputBytes} bytes ...]`
            : file.text,
          'ok',
        );
      }
      case 'write': {
        const parsed = parseToolArgs('write', call.args);
        if (!parsed.ok) return done(parsed.message, 'error');
        await context.runner.write(parsed.args.path, parsed.args.content);
        return done(
          `wrote ${Buffer.byteLength(parsed.args.content)} bytes to ${parsed.args.path}`,
          'ok',
        );
      }
      case 'edit': {
        const parsed = parseToolArgs('edit', call.args);
        if (!parsed.ok) return done(parsed.message, 'error');
        await context.runner.edit(parsed.args.path, parsed.args.oldText, parsed.args.newText);
        return done(`edited ${parsed.args.path}`, 'ok');
      }
    }
  } catch (error) {
    if (error instanceof ToolUnavailableError) throw error;
    return done(`${call.name} failed: ${describeError(error)}`, 'error');
  }
}
