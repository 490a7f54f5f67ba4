import { randomUUID } from 'node:crypto';
import { OpenAI } from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionFunctionTool,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';
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

const DEFAULT_BASE_URL = 'https://api.openai.com/v1';

/**
 * A model behind any OpenAI-compatible Chat Completions server (OpenAI, Ollama, LM Studio,
 * llama.cpp, vLLM, OpenRouter), streamed.
 */
export function createOpenAiClient(options: ProviderClientOptions): ModelClient {
  const baseURL = options.baseUrl ?? DEFAULT_BASE_URL;
  const hosted = endpointOf(baseURL) === endpointOf(DEFAULT_BASE_URL);
  const context: ModelCallContext = {
    timeoutSec: options.timeoutSec,
    apiKey: options.apiKey,
    keyEnv: options.keyEnv,
    endpoint: endpointOf(baseURL),
  };
  // A local server usually needs no key; only the hosted API certainly does.
  const sdk =
    options.apiKey === undefined && hosted
      ? undefined
      : new OpenAI({
          // Explicit values stop the SDK from reading OPENAI_* variables, which would send the
          // owner's OpenAI key and organization to whatever server `baseUrl` names. With no key
          // the SDK still wants one; the placeholder is never sent (the header is removed).
          apiKey: options.apiKey ?? 'no-key',
          ...(options.apiKey === undefined && { defaultHeaders: { Authorization: null } }),
          organization: null,
          project: null,
          baseURL,
          maxRetries: SDK_MAX_RETRIES,
          timeout: Math.round(options.timeoutSec * 1000),
          logLevel: 'off',
        });

  return {
    label: `openai/${options.model}`,
    complete: (request) =>
      runModelCall(context, request.signal, async (signal) => {
        if (!sdk) throw missingKeyError(options.keyEnv);
        const stream = await sdk.chat.completions.create(
          {
            model: options.model,
            messages: toOpenAiMessages(request.system, request.messages),
            ...(request.tools.length > 0 && { tools: request.tools.map(toOpenAiTool) }),
            // OpenAI's newer models accept only `max_completion_tokens`; the compatible servers
            // (Ollama, llama.cpp, vLLM, LM Studio, OpenRouter) all understand `max_tokens`.
            ...(hosted
              ? { max_completion_tokens: request.maxTokens }
              : { max_tokens: request.maxTokens }),
            stream: true,
            // The last chunk then reports the tokens used, which daily budgets count.
            stream_options: { include_usage: true },
          },
          { signal },
        );
        return readStream(stream, request);
      }),
  };
}

function toOpenAiTool(tool: ToolSpec): ChatCompletionFunctionTool {
  return {
    type: 'function',
    function: { name: tool.name, description: tool.description, parameters: tool.parameters },
  };
}

/** Our history as Chat Completions messages: the system prompt first, tool results by call id. */
export function toOpenAiMessages(
  system: string,
  messages: ModelMessage[],
): ChatCompletionMessageParam[] {
  const out: ChatCompletionMessageParam[] = [];
  if (system !== '') out.push({ role: 'system', content: system });
  for (const message of messages) {
    switch (message.role) {
      case 'user':
        out.push({ role: 'user', content: message.text });
        break;
      case 'assistant':
        out.push({
          role: 'assistant',
          content: message.text === '' ? null : message.text,
          ...(message.toolCalls.length > 0 && {
            tool_calls: message.toolCalls.map((call) => ({
              id: call.id,
              type: 'function' as const,
              function: { name: call.name, arguments: argumentsOf(call.args) },
            })),
          }),
        });
        break;
      case 'tool':
        out.push({ role: 'tool', tool_call_id: message.callId, content: message.content });
        break;
    }
  }
  return out;
}

/** Arguments that never parsed are sent back as the model wrote them. */
function argumentsOf(args: unknown): string {
  return typeof args === 'string' ? args : JSON.stringify(args ?? {});
}

interface PendingCall {
  id: string;
  name: string;
  arguments: string;
}

async function readStream(
  stream: AsyncIterable<ChatCompletionChunk>,
  request: ModelRequest,
): Promise<ModelTurn> {
  let text = '';
  let refused = false;
  let finish: ChatCompletionChunk.Choice['finish_reason'] = null;
  const calls = new Map<number, PendingCall>();
  const emit = (delta: string): void => {
    text += delta;
    request.onText?.(delta);
  };
  let usage: ModelUsage | undefined;
  for await (const chunk of stream) {
    if (chunk.usage) {
      usage = {
        inputTokens: chunk.usage.prompt_tokens,
        outputTokens: chunk.usage.completion_tokens,
      };
    }
    // A usage-only chunk has no choices; other choices exist only when `n > 1`, never here.
    const choice = chunk.choices.find((c) => c.index === 0);
    if (!choice) continue;
    const delta = choice.delta as ChatCompletionChunk.Choice.Delta | undefined;
    if (delta?.content) emit(delta.content);
    if (delta?.refusal) {
      refused = true;
      emit(delta.refusal);
    }
    // A call's id and name come once, its arguments in pieces, all keyed by `index`.
    for (const part of delta?.tool_calls ?? []) {
      const call = calls.get(part.index) ?? { id: '', name: '', arguments: '' };
      calls.set(part.index, call);
      if (part.id) call.id = part.id;
      if (part.function?.name) call.name = part.function.name;
      if (part.function?.arguments) call.arguments += part.function.arguments;
    }
    if (choice.finish_reason) finish = choice.finish_reason;
  }
  // Every compatible server ends with a finish reason; without one the answer was cut off.
  if (finish === null) throw new ModelError('bad-response', "The model's answer was cut off.");
  const toolCalls: ToolCall[] = [...calls.entries()]
    .sort(([a], [b]) => a - b)
    .map(([, call]) => ({
      // Some local servers leave the id out; the loop still needs one to pair the result.
      id: call.id || `call_${randomUUID()}`,
      name: call.name,
      args: parseArguments(call.arguments),
    }));
  return {
    text,
    toolCalls,
    stopReason: mapFinish(finish, refused, toolCalls.length > 0),
    ...(usage && { usage }),
  };
}

/** The JSON arguments; when they do not parse, the raw text, for the loop's validation to reject. */
function parseArguments(raw: string): unknown {
  if (raw.trim() === '') return {};
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return raw;
  }
}

function mapFinish(
  finish: NonNullable<ChatCompletionChunk.Choice['finish_reason']>,
  refused: boolean,
  hasCalls: boolean,
): StopReason {
  if (refused || finish === 'content_filter') return 'refusal';
  // Calls cut off by the token limit have half their arguments: not calls to run.
  if (finish === 'length') return 'max-tokens';
  // Some servers (older Ollama among them) say `stop` even when the answer is tool calls.
  if (hasCalls) return 'tool-use';
  switch (finish) {
    case 'stop':
      return 'end';
    case 'tool_calls':
    case 'function_call':
      return 'tool-use';
  }
}
