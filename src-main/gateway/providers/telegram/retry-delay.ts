// The first reconnect waits a second, each further attempt doubles it, and none waits longer than
// a minute, so a long outage is noticed soon after it ends.
const FIRST_RETRY_MS = 1_000;
const MAX_RETRY_MS = 60_000;

/**
 * How long to wait before reconnect attempt `attempt` (0-based): exponential from one second,
 * capped at a minute, and never shorter than a flood wait Telegram asked for.
 */
export function retryDelayMs(attempt: number, retryAfterMs: number | null = null): number {
  const backoff = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempt, 16));
  return Math.max(backoff, retryAfterMs ?? 0);
}

/** What `sleep` needs of an abort signal: Node's and grammY's (a polyfill type) both fit. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** Waits `ms`, or rejects as soon as `signal` aborts (so a stop never waits out a backoff). */
export function sleep(ms: number, signal?: AbortSignalLike): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(new Error('aborted'));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
