import {
  ModelError,
  type ModelClient,
  type ModelMessage,
  type ModelRequest,
  type ModelUsage,
  type ToolCall,
  type ToolSpec,
} from './model/model-types.js';
import { estimateUsage } from './model/usage-estimate.js';
import type { ToolResult } from './tools/run-tool.js';
import { ToolUnavailableError } from './tools/tool-runner.js';

/** What the loop reports as it works, in order, for the transcript. */
export type AgentStep =
  | { kind: 'assistant'; text: string }
  | { kind: 'tool-call'; call: ToolCall }
  | { kind: 'tool-result'; call: ToolCall; result: ToolResult };

/** How one message is answered. */
export interface AgentTurnOptions {
  model: ModelClient;
  system: string;
  /** The conversation so far, ending with the new message. */
  messages: ModelMessage[];
  tools: ToolSpec[];
  /** Most tool calls for this message; the next one asked for ends the turn. */
  maxToolSteps: number;
  maxTokens: number;
  runTool: (call: ToolCall) => Promise<ToolResult>;
  onStep: (step: AgentStep) => void;
  onText?: (delta: string) => void;
  signal: AbortSignal;
  /** Asked before every model call: false ends the turn (a daily budget is used up). */
  mayCallModel?: () => boolean;
  /** Each model call's tokens, as reported or (`estimated`) counted from its characters. */
  onUsage?: (usage: ModelUsage, estimated: boolean) => void;
}

/** How a turn ended, and what the sender is told. */
export type TurnOutcome =
  | { kind: 'reply'; text: string; steps: number }
  | { kind: 'refusal'; text: string; steps: number }
  | { kind: 'step-limit'; text: string; steps: number }
  | { kind: 'model-error'; text: string; error: ModelError; steps: number }
  | { kind: 'tools-unavailable'; text: string; error: ToolUnavailableError; steps: number }
  /** No further model call was allowed; `modelCalls` made before that. The sender's reply is the limits' to give. */
  | { kind: 'over-budget'; steps: number; modelCalls: number };

/** What a sender sees when the model answered nothing at all. */
export const EMPTY_REPLY_TEXT = '(The assistant had nothing to say.)';

/**
 * Answers one message: calls the model, runs the tools it asks for (through `runTool`, which
 * decides where they run), feeds the results back, and stops at a text answer, at the step
 * limit, on a model error, or when tools cannot run. Never throws for model or tool failures:
 * each becomes an outcome with a short text for the sender.
 */
export async function runAgentTurn(options: AgentTurnOptions): Promise<TurnOutcome> {
  const messages = [...options.messages];
  let steps = 0;
  for (let modelCalls = 0; ; modelCalls++) {
    if (options.mayCallModel?.() === false) return { kind: 'over-budget', steps, modelCalls };
    let turn;
    const request: ModelRequest = {
      system: options.system,
      messages,
      tools: options.tools,
      maxTokens: options.maxTokens,
      signal: options.signal,
      onText: options.onText,
    };
    try {
      turn = await options.model.complete(request);
    } catch (error) {
      const modelError =
        error instanceof ModelError
          ? error
          : new ModelError('bad-response', 'the model client failed unexpectedly', {
              cause: error,
            });
      return {
        kind: 'model-error',
        text: `Sorry, I could not get an answer from the model: ${modelError.message}`,
        error: modelError,
        steps,
      };
    }
    options.onUsage?.(turn.usage ?? estimateUsage(request, turn), turn.usage === undefined);
    if (turn.text) options.onStep({ kind: 'assistant', text: turn.text });
    if (turn.stopReason === 'refusal') {
      return { kind: 'refusal', text: turn.text || 'The model declined to answer that.', steps };
    }
    if (turn.toolCalls.length === 0) {
      return { kind: 'reply', text: turn.text || EMPTY_REPLY_TEXT, steps };
    }
    messages.push({ role: 'assistant', text: turn.text, toolCalls: turn.toolCalls });
    for (const call of turn.toolCalls) {
      if (steps >= options.maxToolSteps) {
        const limit = `I stopped after ${options.maxToolSteps} tool step${options.maxToolSteps === 1 ? '' : 's'} for this message (the limit).`;
        return { kind: 'step-limit', text: turn.text ? `${turn.text}\n\n${limit}` : limit, steps };
      }
      steps++;
      options.onStep({ kind: 'tool-call', call });
      const started = performance.now();
      let result: ToolResult;
      try {
        result = await options.runTool(call);
      } catch (error) {
        if (error instanceof ToolUnavailableError) {
          // The call still ends in the transcript, as refused: it never ran, anywhere.
          options.onStep({
            kind: 'tool-result',
            call,
            result: {
              content: `not run: ${error.message}`,
              ok: false,
              status: 'refused',
              where: error.where,
              elevated: false,
              durationMs: Math.round(performance.now() - started),
            },
          });
          return {
            kind: 'tools-unavailable',
            text: `I could not run that: ${error.message}. Nothing was run anywhere else.`,
            error,
            steps,
          };
        }
        throw error;
      }
      options.onStep({ kind: 'tool-result', call, result });
      messages.push({
        role: 'tool',
        callId: call.id,
        name: call.name,
        content: result.content,
        isError: !result.ok,
      });
    }
  }
}
