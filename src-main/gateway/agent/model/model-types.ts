/**
 * The one shape the agent loop talks to, whichever API the model speaks. Each client maps it
 * to its wire format (Anthropic Messages, OpenAI Chat Completions) and back.
 */

/** A tool the model may call: a name, what it does, and a JSON Schema for its arguments. */
export interface ToolSpec {
  name: string;
  description: string;
  /** JSON Schema of an object. */
  parameters: Record<string, unknown>;
}

/** One call the model asked for. `args` is whatever the model sent (validate before use). */
export interface ToolCall {
  id: string;
  name: string;
  args: unknown;
}

/** The conversation so far, oldest first. */
export type ModelMessage =
  | { role: 'user'; text: string }
  | { role: 'assistant'; text: string; toolCalls: ToolCall[] }
  | { role: 'tool'; callId: string; name: string; content: string; isError: boolean };

/** Why the model stopped. */
export type StopReason = 'end' | 'tool-use' | 'max-tokens' | 'refusal' | 'other';

/** One model call. */
export interface ModelRequest {
  system: string;
  messages: ModelMessage[];
  tools: ToolSpec[];
  maxTokens: number;
  /** Aborted on timeout, on `/stop`, or when the gateway shuts down. */
  signal: AbortSignal;
  /** Text as it streams in. */
  onText?: (delta: string) => void;
}

/** Tokens one model call used, as the API reported them; what daily budgets count. */
export interface ModelUsage {
  /** Everything the model read, cached input included. */
  inputTokens: number;
  outputTokens: number;
}

/** What one model call produced. */
export interface ModelTurn {
  text: string;
  toolCalls: ToolCall[];
  stopReason: StopReason;
  /** Absent when the server reported no usage (some compatible servers do not). */
  usage?: ModelUsage;
}

/** Why a model call failed, in words a sender can be told (never with a key in it). */
export type ModelErrorKind =
  | 'auth'
  | 'rate-limit'
  | 'timeout'
  | 'aborted'
  | 'unreachable'
  | 'server'
  | 'bad-request'
  | 'bad-response';

/** A failed model call. `message` is safe to show the sender and to log. */
export class ModelError extends Error {
  override readonly name = 'ModelError';
  constructor(
    readonly kind: ModelErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** A model, whichever API it speaks. */
export interface ModelClient {
  /** Which API and model, for logs and the transcript (`anthropic/claude-…`). */
  readonly label: string;
  /** One streamed call. Rejects only with a {@link ModelError}. */
  complete(request: ModelRequest): Promise<ModelTurn>;
}

/** What each provider client is built from. */
export interface ProviderClientOptions {
  model: string;
  baseUrl?: string;
  /** Absent: no key was found. */
  apiKey?: string;
  /** Where the key was looked for, for the "not set" message. */
  keyEnv: string;
  timeoutSec: number;
}
