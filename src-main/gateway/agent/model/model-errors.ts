import {
  APIConnectionError as AnthropicConnectionError,
  APIConnectionTimeoutError as AnthropicConnectionTimeoutError,
  APIError as AnthropicApiError,
  AnthropicError,
} from '@anthropic-ai/sdk';
import {
  APIConnectionError as OpenAiConnectionError,
  APIConnectionTimeoutError as OpenAiConnectionTimeoutError,
  APIError as OpenAiApiError,
  OpenAIError,
} from 'openai';
import { ModelError, type ModelErrorKind } from './model-types.js';

/**
 * Turning whatever an SDK throws into a {@link ModelError} a sender can be shown. The SDKs'
 * own messages embed response bodies, URLs and sometimes headers, so every message here is
 * built from scratch and then scrubbed of the key.
 */

/** What a provider client needs to run one call and explain its failure. */
export interface ModelCallContext {
  /** Overall deadline for one call, retries included. */
  timeoutSec: number;
  /** Scrubbed from every message. */
  apiKey: string | undefined;
  /** The environment variable the key comes from, to tell the owner what to fix. */
  keyEnv: string;
  /** Where the calls go (`host:port`), for "could not reach". */
  endpoint: string;
}

/** How many times the SDK may retry (429, 5xx, dropped connections): a dead server fails fast. */
export const SDK_MAX_RETRIES = 1;

const REDACTED = '[redacted]';
const MAX_DETAIL_CHARS = 300;

/** `text` with every occurrence of `secret` replaced. */
export function scrubSecret(text: string, secret: string | undefined): string {
  // Very short "keys" (a dummy `x`) would shred ordinary words and protect nothing.
  if (!secret || secret.length < 6) return text;
  return text.split(secret).join(REDACTED);
}

/** A {@link ModelError} whose message cannot carry the key. */
export function safeModelError(
  kind: ModelErrorKind,
  message: string,
  context: Pick<ModelCallContext, 'apiKey'>,
  cause?: unknown,
): ModelError {
  return new ModelError(kind, scrubSecret(message, context.apiKey), { cause });
}

/** The key is missing and the endpoint is a hosted API that certainly needs one. */
export function missingKeyError(keyEnv: string): ModelError {
  return new ModelError(
    'auth',
    `${keyEnv} is not set, so the model cannot be called. Set it in the gateway's environment.`,
  );
}

/** `host[:port]` of a base URL, without any credentials or path it may carry. */
export function endpointOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return 'the configured baseUrl';
  }
}

/**
 * Runs one model call under a deadline (`timeoutSec`, retries included) combined with the
 * caller's signal, and turns any failure into a {@link ModelError}.
 */
export async function runModelCall<T>(
  context: ModelCallContext,
  caller: AbortSignal,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const deadline = AbortSignal.timeout(Math.max(1, Math.round(context.timeoutSec * 1000)));
  const signal = AbortSignal.any([caller, deadline]);
  const stopped = (): ModelError =>
    safeModelError('aborted', 'The model call was stopped.', context);
  const interrupted = (): ModelError | undefined =>
    caller.aborted ? stopped() : deadline.aborted ? timeoutError(context) : undefined;
  const early = interrupted();
  if (early) throw early;
  let result: T;
  try {
    result = await call(signal);
  } catch (err) {
    // An abort surfaces as whatever the SDK was doing at the time; the signals say why.
    throw interrupted() ?? toModelError(err, context);
  }
  // The SDKs end a stream quietly when its signal aborts; the clients reject an answer without
  // its end marker, so one that got here is whole. Only a stop asked for since still wins.
  if (caller.aborted) throw stopped();
  return result;
}

function timeoutError(context: ModelCallContext): ModelError {
  return safeModelError(
    'timeout',
    `The model did not answer within ${context.timeoutSec} s.`,
    context,
  );
}

/** Maps an SDK (or stream-parsing) failure to a {@link ModelError}. */
export function toModelError(err: unknown, context: ModelCallContext): ModelError {
  if (err instanceof ModelError) return safeModelError(err.kind, err.message, context, err.cause);
  const fail = (kind: ModelErrorKind, message: string): ModelError =>
    safeModelError(kind, message, context, err);

  // Connection errors are APIErrors too, so they go first.
  if (
    err instanceof AnthropicConnectionTimeoutError ||
    err instanceof OpenAiConnectionTimeoutError
  ) {
    return timeoutError(context);
  }
  if (err instanceof AnthropicConnectionError || err instanceof OpenAiConnectionError) {
    return fail('unreachable', `Could not reach the model server at ${context.endpoint}.`);
  }
  if (err instanceof AnthropicApiError || err instanceof OpenAiApiError) {
    // `instanceof` leaves the generic parameters as `any`; these are their declared bounds.
    const status = err.status as number | undefined;
    const body = err.error as unknown;
    const detail = serverDetail(body);
    return status === undefined
      ? streamedError(body, detail, fail)
      : statusError(status, detail, context, fail);
  }
  if (err instanceof SyntaxError) {
    return fail('bad-response', 'The model server sent an answer that could not be read.');
  }
  if (isConnectionDrop(err)) {
    return fail('unreachable', `The connection to ${context.endpoint} was lost mid-answer.`);
  }
  if (err instanceof AnthropicError || err instanceof OpenAIError) {
    return fail('bad-response', 'The model server sent an answer that could not be used.');
  }
  return fail('bad-response', 'The model call failed unexpectedly.');
}

function statusError(
  status: number,
  detail: string,
  context: ModelCallContext,
  fail: (kind: ModelErrorKind, message: string) => ModelError,
): ModelError {
  const suffix = detail ? `: ${detail}` : '.';
  if (status === 401) {
    return fail(
      'auth',
      `The model server did not accept the API key (HTTP 401). Check ${context.keyEnv}.`,
    );
  }
  if (status === 403) {
    return fail('auth', `The API key may not use this model (HTTP 403)${suffix}`);
  }
  if (status === 429) {
    return fail(
      'rate-limit',
      'The model API is rate-limiting requests (HTTP 429); try again shortly.',
    );
  }
  if (status === 408) return timeoutError(context);
  if (status === 529)
    return fail('server', 'The model API is overloaded (HTTP 529); try again later.');
  if (status >= 500) return fail('server', `The model server failed (HTTP ${status}).`);
  if (status === 404) {
    return fail(
      'bad-request',
      `Model or endpoint not found (HTTP 404); check the model name and baseUrl${suffix}`,
    );
  }
  return fail('bad-request', `The model server rejected the request (HTTP ${status})${suffix}`);
}

/** An error event inside an otherwise successful stream (no HTTP status). */
function streamedError(
  body: unknown,
  detail: string,
  fail: (kind: ModelErrorKind, message: string) => ModelError,
): ModelError {
  const type = errorType(body);
  if (type === 'rate_limit_error') {
    return fail('rate-limit', 'The model API is rate-limiting requests; try again shortly.');
  }
  if (type === 'overloaded_error')
    return fail('server', 'The model API is overloaded; try again later.');
  return fail(
    'server',
    `The model server reported an error mid-answer${detail ? `: ${detail}` : '.'}`,
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** `error.message` (Anthropic: the body's `error`; OpenAI: the body's `error` already). */
function serverDetail(body: unknown): string {
  if (!isRecord(body)) return '';
  const inner = isRecord(body.error) ? body.error : body;
  const message = typeof inner.message === 'string' ? inner.message.trim() : '';
  return message.length > MAX_DETAIL_CHARS ? `${message.slice(0, MAX_DETAIL_CHARS)}…` : message;
}

function errorType(body: unknown): string | undefined {
  if (!isRecord(body)) return undefined;
  const inner = isRecord(body.error) ? body.error : body;
  return typeof inner.type === 'string' ? inner.type : undefined;
}

/** undici reports a connection cut mid-body as `TypeError: terminated` (cause: ECONNRESET …). */
function isConnectionDrop(err: unknown): boolean {
  if (!(err instanceof TypeError)) return false;
  if (err.message === 'terminated') return true;
  const cause: unknown = err.cause;
  return isRecord(cause) && typeof cause.code === 'string' && /^E(CONNRESET|PIPE)/.test(cause.code);
}
