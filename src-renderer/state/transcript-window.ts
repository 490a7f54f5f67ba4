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
 * The loaded window as the transcript shows it: each tool call is one row with its result, so a
 * result whose call is loaded gets no row of its own (a result whose call is out of the window
 * still shows alone). `results` maps a call's id (`data.callId`) to its result; `superseded`
 * holds calls with no result that the turn has visibly moved past (a later call, result or
 * answer): they are not running, whatever is missing, and show as interrupted.
 */
export interface TranscriptRows {
  rows: TranscriptEvent[];
  results: ReadonlyMap<string, TranscriptEvent>;
  superseded: ReadonlySet<string>;
}

function callIdOf(event: TranscriptEvent): string | null {
  const callId = event.data?.['callId'];
  return typeof callId === 'string' ? callId : null;
}

/** {@link TranscriptRows} of a window of events in id order, in one pass each way. */
export function transcriptRows(events: readonly TranscriptEvent[]): TranscriptRows {
  const results = new Map<string, TranscriptEvent>();
  const calls = new Set<string>();
  const superseded = new Set<string>();
  // Backwards: whether anything after this point shows the turn moved on.
  let movedOn = false;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i]!;
    const callId = callIdOf(event);
    if (event.kind === 'tool-result' && callId !== null) results.set(callId, event);
    if (event.kind === 'tool-call' && callId !== null) {
      calls.add(callId);
      if (movedOn && !results.has(callId)) superseded.add(callId);
    }
    if (event.kind === 'tool-call' || event.kind === 'tool-result' || event.kind === 'assistant')
      movedOn = true;
  }
  const rows =
    results.size === 0
      ? (events as TranscriptEvent[])
      : events.filter((event) => {
          const callId = event.kind === 'tool-result' ? callIdOf(event) : null;
          return callId === null || !calls.has(callId);
        });
  return { rows, results, superseded };
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
