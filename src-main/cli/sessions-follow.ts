import type { Database } from 'better-sqlite3';
import { MAX_TRANSCRIPT_PAGE, type TranscriptEvent } from '../../src-shared/domain/transcript.js';
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
 * SQLite's counter of commits by other connections. Read it before the first read of the
 * transcript, so a commit landing between the two is seen by the first poll, never missed.
 */
export function dataVersion(db: Database): number {
  return db.pragma('data_version', { simple: true }) as number;
}

/**
 * Keeps passing the session's new events to `sink` until SIGINT or SIGTERM. Events are written
 * by another process (the gateway), so each tick first compares `data_version`: when nothing
 * was committed, that one pragma is all a tick costs.
 */
export async function followEvents(
  db: Database,
  sessions: SessionsRepo,
  key: string,
  from: { afterId: number; version: number },
  sink: PageSink,
): Promise<void> {
  let stopped = false;
  let wake: () => void = () => {};
  const stop = (): void => {
    stopped = true;
    wake();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  try {
    let { afterId, version } = from;
    while (!stopped) {
      const current = dataVersion(db);
      if (current !== version) {
        version = current;
        afterId = await streamEvents(sessions, key, afterId, sink);
      }
      if (stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, FOLLOW_INTERVAL_MS);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
