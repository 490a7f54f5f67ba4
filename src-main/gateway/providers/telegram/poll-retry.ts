import { GrammyError, type Transformer } from 'grammy';
import { classifyTelegramError, type TelegramFailure } from './telegram-errors.js';
import { sleep } from './retry-delay.js';

/** What the polling retry needs from the provider. */
export interface PollRetryOptions {
  /** The bot token, only so that failure reasons can be redacted. */
  token: string;
  /** A poll failed and will be retried after `delayMs`: the provider is not connected now. */
  onRetrying(reason: string, delayMs: number): void;
  /** A poll succeeded after failures: the provider is connected again. */
  onRecovered(): void;
  delayMs(attempt: number, retryAfterMs: number | null): number;
}

/**
 * An API transformer that retries failed `getUpdates` calls itself, with capped exponential
 * backoff, and tells the provider about each failure and the recovery. The runner's own retry
 * doubles its wait without a cap and says nothing; with this in place it only ever sees the
 * failures that must stop the provider (401, 409), which it rethrows so its task ends.
 * Install it after auto-retry, so flood waits are handled there first.
 */
export function pollRetry(options: PollRetryOptions): Transformer {
  return async (prev, method, payload, signal) => {
    if (method !== 'getUpdates') return prev(method, payload, signal);
    for (let attempt = 0; ; attempt++) {
      let failure: TelegramFailure;
      try {
        const result = await prev(method, payload, signal);
        if (result.ok) {
          if (attempt > 0) options.onRecovered();
          return result;
        }
        failure = classifyTelegramError(
          new GrammyError(`Call to '${method}' failed!`, result, method, payload),
          options.token,
        );
        if (failure.fatal) return result;
      } catch (error) {
        if (signal?.aborted) throw error;
        failure = classifyTelegramError(error, options.token);
        if (failure.fatal) throw error;
      }
      const delay = options.delayMs(attempt, failure.retryAfterMs);
      options.onRetrying(failure.reason, delay);
      await sleep(delay, signal);
    }
  };
}
