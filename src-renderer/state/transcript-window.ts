import type { TranscriptEvent } from '../../src-shared/domain/transcript.js';

/** Events asked for when a transcript opens: one screenful many times over, cheap to fetch. */
export const FIRST_PAGE = 500;
/**
 * Events asked for per step when scrolling back (or forward after a jump). Larger than the first
 * page: reaching the start of a 100,000-event transcript should take dozens of steps, not hundreds.
 */
export const SCROLL_PAGE = 2000;
/** Events asked for on each side of a search hit when jumping to it. */
export const AROUND_PAGE = 250;
/** Live events kept aside while the loaded window does not reach the end (or is loading). */
export const MAX_STASH = 5000;

/**
 * `loaded` and `incoming` as one list in id order without duplicates. Live events, pages and
 * reconnect catch-ups overlap, so every path in goes through here. Appending and prepending (the
 * common cases) copy the list once; anything else falls back to a full merge.
 */
export function mergeEvents(
  loaded: readonly TranscriptEvent[],
  incoming: readonly TranscriptEvent[],
): TranscriptEvent[] {
  if (incoming.length === 0) return loaded as TranscriptEvent[];
  const sorted = isSortedUnique(incoming) ? incoming : uniqueById(incoming);
  const first = loaded[0];
  const last = loaded.at(-1);
  if (!first || !last) return [...sorted];
  if (sorted[0]!.id > last.id) return [...loaded, ...sorted];
  if (sorted.at(-1)!.id < first.id) return [...sorted, ...loaded];
  return uniqueById([...loaded, ...sorted]);
}

function isSortedUnique(events: readonly TranscriptEvent[]): boolean {
  for (let i = 1; i < events.length; i++) if (events[i]!.id <= events[i - 1]!.id) return false;
  return true;
}

function uniqueById(events: readonly TranscriptEvent[]): TranscriptEvent[] {
  const byId = new Map<number, TranscriptEvent>();
  for (const event of events) byId.set(event.id, event);
  return [...byId.values()].sort((a, b) => a.id - b.id);
}

/**
 * Each tool call's result, by the call's id (`data.callId`), so an expanded call can show what
 * came back. A call whose result is not loaded (or not written yet) has no entry.
 */
export function indexToolResults(
  events: readonly TranscriptEvent[],
): ReadonlyMap<string, TranscriptEvent> {
  const results = new Map<string, TranscriptEvent>();
  for (const event of events) {
    if (event.kind !== 'tool-result') continue;
    const callId = event.data?.['callId'];
    if (typeof callId === 'string') results.set(callId, event);
  }
  return results;
}

/** Index of the event with `id` in a list sorted by id, or -1. */
export function indexOfEvent(events: readonly TranscriptEvent[], id: number): number {
  let lo = 0;
  let hi = events.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = events[mid]!.id;
    if (at === id) return mid;
    if (at < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
