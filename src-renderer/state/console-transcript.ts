import { createStore, type StoreApi } from 'zustand/vanilla';
import { MAIN_SESSION_KEY } from '../../src-shared/domain/session-key.js';
import type { TranscriptEvent } from '../../src-shared/domain/transcript.js';
import type { Transport } from '../transport.js';
import { CONSOLE_MESSAGES_KEPT } from './console-messages.js';
import { oncePerTransport } from './per-transport.js';
import { mergeEvents } from './transcript-window.js';

/** The `main` session's transcript as the console shows it: its latest events, kept live. */
export interface ConsoleTranscriptState {
  /** Oldest first; null until the first page arrived. */
  events: readonly TranscriptEvent[] | null;
  /** Why the transcript could not be read (shown in place of the history), or null. */
  error: string | null;
}

/** The console transcript's store. */
export type ConsoleTranscriptStore = StoreApi<ConsoleTranscriptState>;

function createConsoleTranscriptStore(transport: Transport): ConsoleTranscriptStore {
  const store = createStore<ConsoleTranscriptState>()(() => ({ events: null, error: null }));
  const receive = (incoming: readonly TranscriptEvent[]): void => {
    const existing = store.getState().events ?? [];
    const merged = mergeEvents(existing, incoming);
    if (merged === existing && store.getState().events !== null) return;
    // The console shows the latest part of a long history.
    store.setState({ events: merged.slice(-CONSOLE_MESSAGES_KEPT) });
  };
  // The latest page after every (re)connect: what happened while away, or after a restart.
  const load = async (): Promise<void> => {
    const reply = await transport.invoke('sessions:events', {
      key: MAIN_SESSION_KEY,
      limit: CONSOLE_MESSAGES_KEPT,
    });
    if (reply.ok) {
      store.setState({ error: null });
      receive(reply.value.events);
    } else if (reply.error.code === 'NOT_FOUND') {
      // The owner has not said anything yet: no `main` session, an empty history.
      store.setState({ error: null });
      receive([]);
    } else {
      store.setState({ error: reply.error.message });
    }
  };
  transport.on('session:event', (event) => {
    if (event.sessionKey === MAIN_SESSION_KEY) receive([event]);
  });
  transport.onConnection((state) => {
    if (state === 'connected') void load();
  });
  void load();
  return store;
}

/** The one console transcript store per transport (it outlives the view, like the chat). */
export const consoleTranscriptStoreFor = oncePerTransport(createConsoleTranscriptStore);
