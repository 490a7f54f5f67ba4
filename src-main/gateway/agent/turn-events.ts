import type { NewTranscriptEvent } from '../../store/sessions-repo.js';
import type { AgentStep } from './agent-loop.js';
import {
  engineFields,
  type SandboxEngineRef,
} from '../../../src-shared/domain/sandbox-engine-ref.js';

/** A one-line summary of a tool call for lists (the full arguments are in `data`). */
export function toolCallSummary(name: string, args: unknown): string {
  const record = typeof args === 'object' && args !== null ? (args as Record<string, unknown>) : {};
  const pick = (key: string): string | null => {
    const value = record[key];
    return typeof value === 'string' ? value : null;
  };
  const detail = name === 'bash' ? pick('command') : pick('path');
  const line = detail === null ? JSON.stringify(args) : detail;
  return `${name}: ${line.length > 300 ? `${line.slice(0, 300)}…` : line}`;
}

/**
 * The transcript event for one step of the agent loop. `where` says where the session's
 * tools run; an elevated `bash` call is marked as running on the host.
 */
export function stepEvent(
  step: AgentStep,
  base: {
    sessionKey: string;
    at: number;
    assistant: string;
    where: 'sandbox' | 'host';
    /** For sandboxed tools: the engine and runtime they run on. */
    engine?: SandboxEngineRef | undefined;
    elevated: boolean;
  },
): NewTranscriptEvent {
  const { sessionKey, at } = base;
  switch (step.kind) {
    case 'assistant':
      return { sessionKey, at, kind: 'assistant', actor: base.assistant, text: step.text };
    case 'tool-call': {
      const elevated = base.elevated && step.call.name === 'bash';
      return {
        sessionKey,
        at,
        kind: 'tool-call',
        actor: step.call.name,
        text: toolCallSummary(step.call.name, step.call.args),
        data: {
          tool: step.call.name,
          callId: step.call.id,
          args: step.call.args,
          where: elevated ? 'host' : base.where,
          elevated,
          // Which engine (and runtime) a sandboxed call went to, as it was when it ran.
          ...engineFields(!elevated && base.where === 'sandbox' ? base.engine : null),
        },
      };
    }
    case 'tool-result':
      return {
        sessionKey,
        at,
        kind: 'tool-result',
        actor: step.call.name,
        text: step.result.content,
        data: {
          tool: step.call.name,
          callId: step.call.id,
          ok: step.result.ok,
          status: step.result.status,
          where: step.result.where,
          elevated: step.result.elevated,
          durationMs: step.result.durationMs,
        },
      };
  }
}
