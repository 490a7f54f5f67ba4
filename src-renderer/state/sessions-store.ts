import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SessionSummary, TranscriptEvent } from '../../src-shared/domain/transcript.js';
import type { InvokeChannel, InvokeInput, InvokeOutput } from '../../src-shared/ipc/contract.js';
import type { Transport } from '../transport.js';
import { oncePerTransport } from './per-transport.js';
import {
  AROUND_PAGE,
  FIRST_PAGE,
  MAX_STASH,
  SCROLL_PAGE,
  mergeEvents,
} from './transcript-window.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** The loaded part of the open session's transcript: a window of consecutive events. */
export interface TranscriptWindow {
  key: string;
  /** Consecutive events of the session, in id order. */
  events: TranscriptEvent[];
  /** How many events the session has in all. */
  total: number;
  /** The window holds the session's first event: nothing older to load. */
  reachedStart: boolean;
  /** The window holds the latest event, so live events join it directly. */
  reachedEnd: boolean;
  loading: 'open' | 'older' | 'newer' | null;
  error: string | null;
  /** The event to bring into view and highlight (a search hit), if any. */
  focusId: number | null;
  /** Changes whenever the window is replaced (open, jump), so the list starts over. */
  generation: number;
}

/** The transcript search box and its results. */
export interface SearchState {
  query: string;
  allSessions: boolean;
  /** Null until a search ran; newest first. */
  results: TranscriptEvent[] | null;
  loading: boolean;
  error: string | null;
}

/** What the Sessions view shows. */
export interface SessionsState {
  /** Most recently active first; null until the first list arrives. */
  sessions: SessionSummary[] | null;
  listError: string | null;
  transcript: TranscriptWindow | null;
  search: SearchState;
}

/** What the Sessions view can do. */
export interface SessionsActions {
  /** Follows live events while the view is shown; returns the function that stops it. */
  attach: () => () => void;
  refreshList: () => Promise<void>;
  /** Opens a session at its latest events. */
  open: (key: string) => Promise<void>;
  loadOlder: () => Promise<void>;
  loadNewer: () => Promise<void>;
  /** Opens the event's session with the events around it loaded, and focuses it. */
  jumpTo: (event: Pick<TranscriptEvent, 'id' | 'sessionKey'>) => Promise<void>;
  searchFor: (query: string, allSessions: boolean) => Promise<void>;
  clearSearch: () => void;
}

/** The Sessions view's store. */
export type SessionsStore = StoreApi<SessionsState & SessionsActions>;

const emptySearch: SearchState = {
  query: '',
  allSessions: false,
  results: null,
  loading: false,
  error: null,
};

/**
 * Least time between two renders of live events. A steady stream (50 a second) then renders ten
 * times a second, five events at a time, instead of fifty: the main thread stays free for typing,
 * and a tenth of a second is not a delay anyone reading a transcript notices.
 */
const LIVE_FLUSH_INTERVAL_MS = 100;

/** Newest activity first, as sessions:list orders them (ties by key). */
function byActivity(a: SessionSummary, b: SessionSummary): number {
  return b.lastActivityAt - a.lastActivityAt || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

/**
 * The Sessions view's state over `transport`. Lives outside the app store: transcripts can be
 * large and only this view needs them. Every reply is checked against the window it was asked
 * for (key and generation), so a slow page for a session the user has left is dropped.
 */
export function createSessionsStore(transport: Transport): SessionsStore {
  /** Live events for the open session that could not join the window yet (see flushLive). */
  let stash: TranscriptEvent[] = [];
  let pendingLive: TranscriptEvent[] = [];
  /** The pending flush of live events, and when the last one ran. */
  let liveFlush: ReturnType<typeof setTimeout> | null = null;
  let lastFlushAt = Number.NEGATIVE_INFINITY;
  let listInFlight: Promise<void> | null = null;
  let listAgain = false;
  let generation = 0;

  async function call<C extends InvokeChannel>(
    channel: C,
    input: InvokeInput<C>,
  ): Promise<InvokeOutput<C>> {
    const reply = await transport.invoke(channel, input);
    if (!reply.ok) throw new Error(reply.error.message);
    return reply.value;
  }
  const message = (error: unknown): string => describeError(error);

  const store = createStore<SessionsState & SessionsActions>()((set, get) => {
    /** Applies `update` to the transcript only if it is still the window `gen` asked about. */
    const patchWindow = (gen: number, update: (w: TranscriptWindow) => Partial<TranscriptWindow>) =>
      set((state) => {
        const w = state.transcript;
        if (!w || w.generation !== gen) return {};
        return { transcript: { ...w, ...update(w) } };
      });

    /** Stashed live events newer than the window, once the window reaches the end. */
    const takeStash = (after: number): TranscriptEvent[] => {
      const newer = stash.filter((e) => e.id > after);
      stash = [];
      return newer;
    };

    /** Replaces the window with one built from `load`, for `key`. */
    async function replaceWindow(
      key: string,
      focusId: number | null,
      load: () => Promise<
        Pick<TranscriptWindow, 'events' | 'total' | 'reachedStart' | 'reachedEnd'>
      >,
    ): Promise<void> {
      const gen = ++generation;
      stash = [];
      set({
        transcript: {
          key,
          events: [],
          total: 0,
          reachedStart: false,
          reachedEnd: false,
          loading: 'open',
          error: null,
          focusId,
          generation: gen,
        },
      });
      try {
        const loaded = await load();
        const live = loaded.reachedEnd ? takeStash(loaded.events.at(-1)?.id ?? 0) : [];
        patchWindow(gen, () => ({
          ...loaded,
          events: mergeEvents(loaded.events, live),
          total: Math.max(loaded.total, loaded.events.length),
          loading: null,
        }));
      } catch (error) {
        patchWindow(gen, () => ({ loading: null, error: message(error) }));
      }
    }

    /** Joins live events to the list and the open window, in one update per burst. */
    function flushLive(): void {
      liveFlush = null;
      lastFlushAt = performance.now();
      const batch = pendingLive;
      pendingLive = [];
      const { sessions, transcript } = get();
      let unknown = false;
      let relist = false;
      let nextSessions = sessions;
      if (sessions) {
        const byKey = new Map(sessions.map((s) => [s.key, s]));
        for (const event of batch) {
          const known = byKey.get(event.sessionKey);
          if (!known) unknown = true;
          else {
            byKey.set(event.sessionKey, {
              ...known,
              lastActivityAt: Math.max(known.lastActivityAt, event.at),
              eventCount: known.eventCount + 1,
            });
          }
          // Elevated and reset events change what the list shows beyond activity: ask again.
          if (event.kind === 'elevated' || event.kind === 'session') relist = true;
        }
        nextSessions = [...byKey.values()].sort(byActivity);
      }
      let nextTranscript = transcript;
      if (transcript) {
        const mine = batch.filter((e) => e.sessionKey === transcript.key);
        if (mine.length > 0) {
          if (transcript.reachedEnd && transcript.loading !== 'open') {
            const lastId = transcript.events.at(-1)?.id ?? 0;
            const fresh = mine.filter((e) => e.id > lastId);
            nextTranscript = {
              ...transcript,
              events: mergeEvents(transcript.events, fresh),
              total: transcript.total + fresh.length,
            };
          } else {
            // Not at the end (a search jump, a page in flight): keep them for when it is.
            stash = [...stash, ...mine].slice(-MAX_STASH);
            nextTranscript = { ...transcript, total: transcript.total + mine.length };
          }
        }
      }
      set({ sessions: nextSessions, transcript: nextTranscript });
      if (unknown || relist || !sessions) void get().refreshList();
    }

    /** After a reconnect: fetch what was stored while the line was down. */
    async function catchUp(): Promise<void> {
      const w = get().transcript;
      if (!w || !w.reachedEnd || w.loading) return;
      const lastId = w.events.at(-1)?.id ?? 0;
      try {
        const page = await call('sessions:events', {
          key: w.key,
          afterId: lastId,
          limit: SCROLL_PAGE,
        });
        patchWindow(w.generation, (now) => ({
          events: mergeEvents(now.events, page.events),
          total: page.total,
          // A full page means more may follow: load it when the user scrolls down.
          reachedEnd: page.events.length < SCROLL_PAGE,
        }));
      } catch (error) {
        patchWindow(w.generation, () => ({ error: message(error) }));
      }
    }

    return {
      sessions: null,
      listError: null,
      transcript: null,
      search: emptySearch,

      attach() {
        const offEvent = transport.on('session:event', (event) => {
          pendingLive.push(event);
          // Whatever arrives meanwhile becomes one store update and one render: a burst (the
          // supervisor pushes up to 2,000 at once) at once, a steady stream at most every
          // LIVE_FLUSH_INTERVAL_MS, so typing never waits behind a render per event.
          liveFlush ??= setTimeout(
            flushLive,
            Math.max(0, lastFlushAt + LIVE_FLUSH_INTERVAL_MS - performance.now()),
          );
        });
        const offConnection = transport.onConnection((state) => {
          if (state !== 'connected') return;
          // Now (the view was hidden) or after a reconnect: events may have been missed.
          void catchUp();
          void get().refreshList();
        });
        return () => {
          offEvent();
          offConnection();
        };
      },

      refreshList() {
        // One request at a time; calls meanwhile coalesce into one more after it.
        if (listInFlight) {
          listAgain = true;
          return listInFlight;
        }
        listInFlight = (async () => {
          do {
            listAgain = false;
            try {
              const sessions = await call('sessions:list', {});
              set({ sessions: [...sessions].sort(byActivity), listError: null });
            } catch (error) {
              set({ listError: message(error) });
            }
          } while (listAgain);
          listInFlight = null;
        })();
        return listInFlight;
      },

      open(key) {
        return replaceWindow(key, null, async () => {
          const page = await call('sessions:events', { key, limit: FIRST_PAGE });
          return {
            events: page.events,
            total: page.total,
            reachedStart: page.events.length < FIRST_PAGE,
            reachedEnd: true,
          };
        });
      },

      async loadOlder() {
        const w = get().transcript;
        const first = w?.events[0];
        if (!w || !first || w.reachedStart || w.loading) return;
        patchWindow(w.generation, () => ({ loading: 'older', error: null }));
        try {
          const page = await call('sessions:events', {
            key: w.key,
            beforeId: first.id,
            limit: SCROLL_PAGE,
          });
          patchWindow(w.generation, (now) => ({
            events: mergeEvents(now.events, page.events),
            total: page.total,
            reachedStart: page.events.length < SCROLL_PAGE,
            loading: null,
          }));
        } catch (error) {
          patchWindow(w.generation, () => ({ loading: null, error: message(error) }));
        }
      },

      async loadNewer() {
        const w = get().transcript;
        const last = w?.events.at(-1);
        if (!w || !last || w.reachedEnd || w.loading) return;
        patchWindow(w.generation, () => ({ loading: 'newer', error: null }));
        try {
          const page = await call('sessions:events', {
            key: w.key,
            afterId: last.id,
            limit: SCROLL_PAGE,
          });
          const reachedEnd = page.events.length < SCROLL_PAGE;
          const lastId = page.events.at(-1)?.id ?? last.id;
          const live = reachedEnd ? takeStash(lastId) : [];
          patchWindow(w.generation, (now) => ({
            events: mergeEvents(mergeEvents(now.events, page.events), live),
            total: Math.max(page.total, now.total),
            reachedEnd,
            loading: null,
          }));
        } catch (error) {
          patchWindow(w.generation, () => ({ loading: null, error: message(error) }));
        }
      },

      jumpTo({ id, sessionKey: key }) {
        return replaceWindow(key, id, async () => {
          // The hit and the events before it (beforeId is exclusive), then the ones after it.
          const [before, after] = await Promise.all([
            call('sessions:events', { key, beforeId: id + 1, limit: AROUND_PAGE }),
            call('sessions:events', { key, afterId: id, limit: AROUND_PAGE }),
          ]);
          return {
            events: mergeEvents(before.events, after.events),
            total: Math.max(before.total, after.total),
            reachedStart: before.events.length < AROUND_PAGE,
            reachedEnd: after.events.length < AROUND_PAGE,
          };
        });
      },

      async searchFor(query, allSessions) {
        const key = allSessions ? undefined : get().transcript?.key;
        const asked = { query, allSessions };
        set({ search: { ...asked, results: get().search.results, loading: true, error: null } });
        try {
          const results = await call('sessions:search', {
            query,
            ...(key === undefined ? {} : { key }),
            limit: 200,
          });
          const now = get().search;
          // A newer search (or a cleared box) wins over this reply.
          if (now.query !== query || now.allSessions !== allSessions) return;
          set({ search: { ...asked, results, loading: false, error: null } });
        } catch (error) {
          set({ search: { ...asked, results: null, loading: false, error: message(error) } });
        }
      },

      clearSearch() {
        set({ search: emptySearch });
      },
    };
  });
  return store;
}

/**
 * The Sessions store for `transport`, created once: leaving the view and coming back keeps the
 * open session and its scroll-back instead of fetching it all again.
 */
export const sessionsStoreFor = oncePerTransport(createSessionsStore);
