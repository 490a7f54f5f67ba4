import { GrammyError, HttpError } from 'grammy';
import { SendFailure } from '../../outbound/outbound-channel.js';
import { describeError } from '../../../../src-shared/errors/describe-error.js';

/** The reason shown when Telegram refuses the token. */
export const UNAUTHORIZED_REASON = 'Telegram rejected the bot token (401 Unauthorized)';

/** The reason shown when another poller (or a webhook) holds the bot's updates. */
export const CONFLICT_REASON = 'another process is polling this bot (409 Conflict)';

const WEBHOOK_CONFLICT_REASON =
  'a webhook is set for this bot, so it cannot poll (409 Conflict); remove the webhook or stop the other service';

// Any bot token (`<digits>:<secret>`) as it appears in a Bot API URL. grammY's network errors
// carry node-fetch's message, which names the URL, and the URL holds the token.
const TOKEN_IN_URL = /bot\d+:[A-Za-z0-9_-]+/g;

/**
 * A text with the bot token removed: every occurrence of the token itself, and any
 * `bot<id>:<secret>` URL segment. Use it on everything a Telegram error puts into a log line or a
 * status, since grammY's messages can include the request URL.
 */
export function redactToken(text: string, token: string | null): string {
  const withoutToken = token ? text.split(token).join('<redacted>') : text;
  return withoutToken.replace(TOKEN_IN_URL, 'bot<redacted>');
}

/**
 * What a failed Bot API call means for the provider: `fatal` failures (bad token, a competing
 * poller) stop it with a reason for the owner; the rest are retried with backoff.
 */
export type TelegramFailure =
  { fatal: true; reason: string } | { fatal: false; reason: string; retryAfterMs: number | null };

/**
 * Classifies an error thrown by a grammY API call, by where it failed: Telegram said no
 * (`GrammyError`, with its error code), the network failed (`HttpError`), or anything else.
 * The reason never contains the token.
 */
export function classifyTelegramError(error: unknown, token: string | null): TelegramFailure {
  if (error instanceof GrammyError) {
    if (error.error_code === 401) return { fatal: true, reason: UNAUTHORIZED_REASON };
    if (error.error_code === 409) {
      return {
        fatal: true,
        reason: /webhook/i.test(error.description) ? WEBHOOK_CONFLICT_REASON : CONFLICT_REASON,
      };
    }
    // getMe on a wrong `apiRoot` (or a malformed token) is a 404 that no retry will fix.
    if (error.error_code === 404 && error.method === 'getMe') {
      return {
        fatal: true,
        reason: 'the Bot API answered 404 Not Found to getMe; check telegram.apiRoot and the token',
      };
    }
    const retryAfter = error.parameters.retry_after;
    return {
      fatal: false,
      reason: redactToken(
        `Telegram answered ${error.error_code} to ${error.method}: ${error.description}`,
        token,
      ),
      retryAfterMs: typeof retryAfter === 'number' ? retryAfter * 1000 : null,
    };
  }
  if (error instanceof HttpError) {
    const inner = error.error instanceof Error ? `: ${error.error.message}` : '';
    return {
      fatal: false,
      reason: redactToken(`${error.message}${inner}`, token),
      retryAfterMs: null,
    };
  }
  const message = describeError(error);
  return { fatal: false, reason: redactToken(message, token), retryAfterMs: null };
}

/**
 * A failed `sendMessage` as the outbox sees it: a flood wait (429) is transient with Telegram's
 * `retry_after`; a refusal no retry can change (400 a bad request such as a missing chat, 403 the
 * bot blocked or not in the chat) is permanent; anything else (the network, 5xx, a revoked token
 * the owner may still fix) is transient. The message never contains the token.
 */
export function sendFailureOf(error: unknown, token: string | null): SendFailure {
  const failure = classifyTelegramError(error, token);
  const reason = `could not send to Telegram: ${failure.reason}`;
  if (error instanceof GrammyError && (error.error_code === 400 || error.error_code === 403)) {
    return new SendFailure(reason, 'permanent');
  }
  return new SendFailure(reason, 'transient', failure.fatal ? null : failure.retryAfterMs);
}
