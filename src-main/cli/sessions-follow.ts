import { MAX_TRANSCRIPT_PAGE, type TranscriptEvent } from '../../src-shared/domain/transcript.js';
import type { DatabaseChanges } from '../store/database-changes.js';
import type { SessionsRepo } from '../store/sessions-repo.js';

/** How often `--follow` looks for new events: quick enough to feel live, one pragma per tick. */
export const FOLLOW_INTERVAL_MS = 250;

/** Receives one page of events, in id order. */
export type PageSink = (events: TranscriptEvent[]) => void | Promise<void>;

/**
 * Passes every event of `key` after `afterId` to `sink`, a page at a time (never the whole
 * transcript in memory), and returns the last id passed (or `afterId` when there were none).
 */
export async function streamEvents(
  sessions: SessionsRepo,
  key: string,
  afterId: number,
  sink: PageSink,
): Promise<number> {
  let last = afterId;
  for (;;) {
    const page = sessions.events(key, { afterId: last, limit: MAX_TRANSCRIPT_PAGE });
    if (page.length === 0) return last;
    await sink(page);
    last = page[page.length - 1]!.id;
    if (page.length < MAX_TRANSCRIPT_PAGE) return last;
  }
}

/** The `afterId` from which exactly the last `count` events of `key` follow. */
export function startOfLast(sessions: SessionsRepo, key: string, count: number): number {
  let beforeId = Number.MAX_SAFE_INTEGER;
  let remaining = count;
  while (remaining > 0) {
    const limit = Math.min(remaining, MAX_TRANSCRIPT_PAGE);
    const page = sessions.events(key, { beforeId, limit });
    if (page.length === 0) break;
    beforeId = page[0]!.id;
    remaining -= page.length;
    if (page.length < limit) break;
  }
  return beforeId === Number.MAX_SAFE_INTEGER ? 0 : beforeId - 1;
}

/**
 * Keeps passing the session's new events to `sink` until SIGINT or SIGTERM. Events are written
 * by another process (the gateway), so this listens to the connection's one change watcher
 * (created before the first read, so a commit landing between the two is not missed): when
 * nothing was committed, a tick costs one pragma. Pages go out one run at a time, in order.
 */
export async function followEvents(
  changes: DatabaseChanges,
  sessions: SessionsRepo,
  key: string,
  afterId: number,
  sink: PageSink,
): Promise<void> {
  const following = new AbortController();
  let dirty = false;
  let wake: () => void = () => undefined;
  const stop = (): void => following.abort();
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  following.signal.addEventListener('abort', () => wake(), { once: true });
  changes.on(
    'others',
    () => {
      dirty = true;
      wake();
    },
    // The follow is all this process does until a signal: the watch keeps it running.
    { signal: following.signal, intervalMs: FOLLOW_INTERVAL_MS, keepAlive: true },
  );
  try {
    // Whatever landed since the watcher's baseline, at once rather than at the first tick.
    changes.check();
    let last = afterId;
    while (!following.signal.aborted) {
      if (dirty) {
        dirty = false;
        last = await streamEvents(sessions, key, last, sink);
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    following.abort();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
