import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LogLevel } from '../../src-shared/config/logging-schema.js';
import type { InvokeOutput } from '../../src-shared/ipc/contract.js';
import type { Transport } from '../transport.js';

/** One line as the viewer gets it. */
export type LogLine = InvokeOutput<'logs:query'>['lines'][number];
/** A day with a log file. */
export type LogDayInfo = InvokeOutput<'logs:files'>['days'][number];

/** Lines per request: a screenful or two, so the renderer never holds much of a big file. */
export const LOG_PAGE = 100;
/** Pages kept; those furthest from the visible window are dropped first. */
const KEPT_PAGES = 40;

/** What the viewer narrows the day's lines to. */
export interface LogFilterState {
  levels: LogLevel[];
  processes: string[];
  scopes: string[];
  text: string;
}

export interface LogsState {
  today: string | null;
  days: LogDayInfo[];
  /** The day picked; null follows today, midnight included. */
  day: string | null;
  /** The day the lines shown come from. */
  shownDay: string | null;
  filter: LogFilterState;
  /** Bumped whenever the list's lines change meaning (day, filter): late replies are dropped. */
  generation: number;
  /** Lines the filter lets through (so far, while `complete` is false). */
  total: number;
  complete: boolean;
  fileLines: number;
  loaded: boolean;
  pages: ReadonlyMap<number, LogLine[]>;
  selected: { position: number; line: LogLine } | null;
  follow: boolean;
  /** A position the list should scroll to (seq makes the same position twice a new request). */
  scrollTo: { position: number; seq: number; align: 'start' | 'end' | 'auto' } | null;
  error: string | null;
}

export interface LogsActions {
  loadDays(): Promise<void>;
  setDay(day: string | null): void;
  setFilter(change: Partial<LogFilterState>): void;
  /** Fetches the pages covering positions `[from, to]` not yet loaded. */
  ensureRange(from: number, to: number): void;
  /** Re-reads the counts and the last page: new lines while following, search progress. */
  poll(): Promise<void>;
  jumpToTime(time: string): Promise<void>;
  select(position: number): void;
  setFollow(follow: boolean): void;
}

export type LogsStore = StoreApi<LogsState & LogsActions>;

/** A moment another view asked the Logs view to open at (the Incident view's "Open in Logs"). */
let requestedJump: { day: string; time: string } | null = null;

/** Makes the next Logs view open on `day` at `time` instead of at the top. */
export function openLogsAt(day: string, time: string): void {
  requestedJump = { day, time };
}

/** The requested moment, once. */
export function takeLogsJump(): { day: string; time: string } | null {
  const jump = requestedJump;
  requestedJump = null;
  return jump;
}

const emptyFilter: LogFilterState = { levels: [], processes: [], scopes: [], text: '' };

/** The viewer's own store: pages of the server-side index, fetched as they come into view. */
export function createLogsStore(transport: Transport): LogsStore {
  const inFlight = new Set<number>();
  let lastVisible = 0;

  return createStore<LogsState & LogsActions>()((set, get) => {
    const request = () => {
      const { day, filter } = get();
      return {
        ...(day === null ? {} : { day }),
        ...(filter.levels.length ? { levels: filter.levels } : {}),
        ...(filter.processes.length ? { processes: filter.processes } : {}),
        ...(filter.scopes.length ? { scopes: filter.scopes } : {}),
        ...(filter.text ? { text: filter.text } : {}),
      };
    };

    const reset = (change: Partial<LogsState>): void => {
      inFlight.clear();
      set({
        ...change,
        generation: get().generation + 1,
        pages: new Map(),
        total: 0,
        complete: false,
        loaded: false,
        selected: null,
      });
    };

    /** Applies a reply's counts; a new day under "today" (midnight) starts the list afresh. */
    const applyCounts = (reply: InvokeOutput<'logs:query'>): boolean => {
      const { shownDay } = get();
      if (shownDay !== null && reply.day !== shownDay) {
        reset({ shownDay: reply.day });
        return false;
      }
      set({
        shownDay: reply.day,
        total: reply.total,
        complete: reply.complete,
        fileLines: reply.fileLines,
        loaded: true,
      });
      return true;
    };

    const keepPage = (page: number, lines: LogLine[]): void => {
      const pages = new Map(get().pages);
      pages.set(page, lines);
      // Drop the pages furthest from what is on screen.
      const visible = Math.floor(lastVisible / LOG_PAGE);
      const far = [...pages.keys()].sort((a, b) => Math.abs(b - visible) - Math.abs(a - visible));
      for (const key of far.slice(0, Math.max(0, pages.size - KEPT_PAGES))) pages.delete(key);
      set({ pages });
    };

    const fetchPage = async (page: number): Promise<void> => {
      if (inFlight.has(page)) return;
      inFlight.add(page);
      const generation = get().generation;
      try {
        const reply = await transport.invoke('logs:query', {
          ...request(),
          offset: page * LOG_PAGE,
          limit: LOG_PAGE,
        });
        if (generation !== get().generation) return;
        if (!reply.ok) return set({ error: reply.error.message });
        if (!applyCounts(reply.value)) return;
        // A page the search has only partly filled is shown at once (first results fast); the
        // poll fetches it again as the search finds more (see `poll`).
        if (reply.value.lines.length > 0 || reply.value.complete) keepPage(page, reply.value.lines);
      } finally {
        if (generation === get().generation) inFlight.delete(page);
      }
    };

    return {
      today: null,
      days: [],
      day: null,
      shownDay: null,
      filter: emptyFilter,
      generation: 0,
      total: 0,
      complete: false,
      fileLines: 0,
      loaded: false,
      pages: new Map(),
      selected: null,
      // Like a terminal's tail: today's log shows its newest lines as they come.
      follow: true,
      scrollTo: null,
      error: null,

      async loadDays() {
        const reply = await transport.invoke('logs:files', {});
        if (reply.ok) set({ today: reply.value.today, days: reply.value.days });
        else set({ error: reply.error.message });
      },

      setDay(day) {
        reset({ day, shownDay: null, follow: day === null ? get().follow : false });
        get().ensureRange(0, LOG_PAGE);
      },

      setFilter(change) {
        reset({ filter: { ...get().filter, ...change }, scrollTo: null });
        get().ensureRange(0, LOG_PAGE);
      },

      ensureRange(from, to) {
        lastVisible = from;
        const { pages, loaded, total } = get();
        const last = loaded ? Math.min(to, Math.max(0, total - 1)) : to;
        for (let page = Math.floor(from / LOG_PAGE); page <= Math.floor(last / LOG_PAGE); page++) {
          if (!pages.has(page)) void fetchPage(page);
        }
      },

      async poll() {
        const { total, generation, follow } = get();
        const page = Math.max(0, Math.floor(Math.max(0, total - 1) / LOG_PAGE));
        const reply = await transport.invoke('logs:query', {
          ...request(),
          offset: page * LOG_PAGE,
          limit: LOG_PAGE,
        });
        if (generation !== get().generation || !reply.ok) return;
        const grew = reply.value.total !== total;
        if (!applyCounts(reply.value)) return;
        if (grew) {
          // The old last page was short: fetch it (and any new ones) again.
          const pages = new Map(get().pages);
          for (const key of pages.keys()) if (key >= page) pages.delete(key);
          set({ pages });
        }
        if (follow && reply.value.total > 0) {
          set({ scrollTo: { position: reply.value.total - 1, seq: Date.now(), align: 'end' } });
        }
      },

      async jumpToTime(time) {
        const ms = Date.parse(time);
        if (Number.isNaN(ms)) return set({ error: `not a time: ${time}` });
        const generation = get().generation;
        const reply = await transport.invoke('logs:around', {
          ...request(),
          time: new Date(ms).toISOString(),
          limit: LOG_PAGE,
        });
        if (generation !== get().generation) return;
        if (!reply.ok) return set({ error: reply.error.message });
        if (!applyCounts(reply.value)) return;
        const { target } = reply.value;
        const line = reply.value.lines[0];
        set({
          follow: false,
          scrollTo: { position: target, seq: Date.now(), align: 'start' },
          selected: line ? { position: target, line } : get().selected,
        });
      },

      select(position) {
        const { total, pages } = get();
        if (position < 0 || position >= total) return;
        const line = pages.get(Math.floor(position / LOG_PAGE))?.[position % LOG_PAGE];
        if (line) set({ selected: { position, line } });
        else {
          // Not loaded yet: fetch it, then select.
          void fetchPage(Math.floor(position / LOG_PAGE)).then(() => {
            const loaded = get().pages.get(Math.floor(position / LOG_PAGE))?.[position % LOG_PAGE];
            if (loaded) set({ selected: { position, line: loaded } });
          });
        }
        set({ scrollTo: { position, seq: Date.now(), align: 'auto' } });
      },

      setFollow(follow) {
        if (follow && get().day !== null) reset({ day: null, shownDay: null, follow });
        else set({ follow });
        if (follow) void get().poll();
      },
    };
  });
}
