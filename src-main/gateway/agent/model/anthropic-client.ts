import { Anthropic } from '@anthropic-ai/sdk';
import type {
  ContentBlockParam,
  MessageDeltaUsage,
  MessageParam,
  RawMessageStreamEvent,
  StopReason as AnthropicStopReason,
  Tool,
  ToolResultBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import {
  endpointOf,
  missingKeyError,
  runModelCall,
  SDK_MAX_RETRIES,
  type ModelCallContext,
} from './model-errors.js';
import {
  ModelError,
  type ModelClient,
  type ModelMessage,
  type ModelRequest,
  type ModelTurn,
  type ModelUsage,
  type StopReason,
  type ToolCall,
  type ToolSpec,
  type ProviderClientOptions,
} from './model-types.js';

const DEFAULT_BASE_URL = 'https://api.anthropic.com';

/** A model behind the Anthropic Messages API, streamed. */
export function createAnthropicClient(options: ProviderClientOptions): ModelClient {
  // The SDK appends `/v1/messages` itself, so a baseUrl copied with `/v1` would double it.
  const baseURL = (options.baseUrl ?? DEFAULT_BASE_URL).replace(/\/v1\/?$/, '');
  const context: ModelCallContext = {
    timeoutSec: options.timeoutSec,
    apiKey: options.apiKey,
    keyEnv: options.keyEnv,
    endpoint: endpointOf(baseURL),
  };
  // Only the hosted API certainly needs a key; a proxy or gateway at `baseUrl` may not.
  const keyRequired = endpointOf(baseURL) === endpointOf(DEFAULT_BASE_URL);
  const sdk =
    options.apiKey === undefined && keyRequired
      ? undefined
      : new Anthropic({
          // A key passed explicitly stops the SDK from reading ANTHROPIC_* variables or credential
          // files; with no key, the placeholder is never sent (the header is removed below).
          apiKey: options.apiKey ?? 'no-key',
          ...(options.apiKey === undefined && { defaultHeaders: { Authorization: null } }),
          baseURL,
          maxRetries: SDK_MAX_RETRIES,
          timeout: Math.round(options.timeoutSec * 1000),
          logLevel: 'off',
          openTelemetry: false,
        });

  return {
    label: `anthropic/${options.model}`,
    complete: (request) =>
      runModelCall(context, request.signal, async (signal) => {
        if (!sdk) throw missingKeyError(options.keyEnv);
        const stream = await sdk.messages.create(
          {
            model: options.model,
            max_tokens: request.maxTokens,
            ...(request.system !== '' && { system: request.system }),
            messages: toAnthropicMessages(request.messages),
            ...(request.tools.length > 0 && { tools: request.tools.map(toAnthropicTool) }),
            stream: true,
          },
          { signal },
        );
        return readStream(stream, request);
      }),
  };
}

function toAnthropicTool(tool: ToolSpec): Tool {
  return {
    name: tool.name,
    description: tool.description,
    input_schema: { type: 'object', ...tool.parameters },
  };
}

/**
 * Our history as Messages API turns: tool results travel as `tool_result` blocks in a user
 * turn, and the results of one assistant turn's calls share a single user turn, as the API
 * expects them right after the `tool_use` blocks they answer.
 */
export function toAnthropicMessages(messages: ModelMessage[]): MessageParam[] {
  const out: MessageParam[] = [];
  let results: ToolResultBlockParam[] | undefined;
  for (const message of messages) {
    if (message.role === 'tool') {
      if (!results) {
        results = [];
        out.push({ role: 'user', content: results });
      }
      results.push({
        type: 'tool_result',
        tool_use_id: message.callId,
        content: message.content,
        is_error: message.isError,
      });
      continue;
    }
    results = undefined;
    if (message.role === 'user') {
      out.push({ role: 'user', content: message.text });
      continue;
    }
    const content: ContentBlockParam[] = [];
    if (message.text !== '') content.push({ type: 'text', text: message.text });
    for (const call of message.toolCalls) {
      content.push({ type: 'tool_use', id: call.id, name: call.name, input: inputOf(call.args) });
    }
    // The API rejects an empty assistant turn; one that said and did nothing carries no meaning.
    if (content.length > 0) out.push({ role: 'assistant', content });
  }
  return out;
}

/** `tool_use.input` must be an object; anything else was never a valid call anyway. */
function inputOf(args: unknown): Record<string, unknown> {
  return typeof args === 'object' && args !== null && !Array.isArray(args)
    ? (args as Record<string, unknown>)
    : {};
}

interface PendingCall {
  id: string;
  name: string;
  /** Input sent whole in `content_block_start`, used when no deltas follow. */
  start: unknown;
  json: string;
}

async function readStream(
  stream: AsyncIterable<RawMessageStreamEvent>,
  request: ModelRequest,
): Promise<ModelTurn> {
  let text = '';
  let stopReason: StopReason = 'other';
  let complete = false;
  const calls = new Map<number, PendingCall>();
  let usage: ModelUsage | undefined;
  for await (const event of stream) {
    switch (event.type) {
      case 'message_start':
        usage = usageOf(event.message.usage, undefined);
        break;
      case 'content_block_start':
        if (event.content_block.type === 'tool_use') {
          const { id, name, input } = event.content_block;
          calls.set(event.index, { id, name, start: input, json: '' });
        }
        break;
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') {
          text += event.delta.text;
          request.onText?.(event.delta.text);
        } else if (event.delta.type === 'input_json_delta') {
          const call = calls.get(event.index);
          if (call) call.json += event.delta.partial_json;
        }
        break;
      case 'message_delta':
        stopReason = mapStopReason(event.delta.stop_reason);
        // The delta's counts are totals so far; its input counts are null when unchanged.
        usage = usageOf(event.usage, usage);
        break;
      case 'message_stop':
        complete = true;
        break;
      default:
        break;
    }
  }
  // Without `message_stop` the answer was cut off; acting on half of it would be wrong.
  if (!complete) throw new ModelError('bad-response', "The model's answer was cut off.");
  const toolCalls: ToolCall[] = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, call]) => ({ id: call.id, name: call.name, args: argsOf(call) }));
  return { text, toolCalls, stopReason, ...(usage && { usage }) };
}

/** The usage an event reports; counts it leaves out (null, absent) keep their earlier value. */
function usageOf(
  reported: Pick<
    MessageDeltaUsage,
    'input_tokens' | 'cache_creation_input_tokens' | 'cache_read_input_tokens' | 'output_tokens'
  >,
  before: ModelUsage | undefined,
): ModelUsage {
  // Servers speaking this API leave out fields the SDK's types call required: check each.
  const input =
    typeof reported.input_tokens === 'number'
      ? reported.input_tokens +
        (reported.cache_creation_input_tokens ?? 0) +
        (reported.cache_read_input_tokens ?? 0)
      : undefined;
  const output = typeof reported.output_tokens === 'number' ? reported.output_tokens : undefined;
  return {
    inputTokens: input ?? before?.inputTokens ?? 0,
    outputTokens: output ?? before?.outputTokens ?? 0,
  };
}

/** The streamed JSON; when it does not parse, the raw text, for the loop's validation to reject. */
function argsOf(call: PendingCall): unknown {
  if (call.json === '') return call.start ?? {};
  try {
    return JSON.parse(call.json) as unknown;
  } catch {
    return call.json;
  }
}

function mapStopReason(reason: AnthropicStopReason | null): StopReason {
  switch (reason) {
    case 'end_turn':
    case 'stop_sequence':
      return 'end';
    case 'tool_use':
      return 'tool-use';
    // Out of room in the context window: to the loop, the same as running out of tokens.
    case 'max_tokens':
    case 'model_context_window_exceeded':
      return 'max-tokens';
    case 'refusal':
      return 'refusal';
    case 'pause_turn':
    case null:
      return 'other';
  }
}
