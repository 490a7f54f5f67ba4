import { createStore, type StoreApi } from 'zustand/vanilla';
import type { RecentSession } from '../../../src-shared/domain/session-activity.js';
import type { TranscriptEvent } from '../../../src-shared/domain/transcript.js';
import type { Transport } from '../../transport.js';
import { oncePerTransport } from '../../state/per-transport.js';

/** The dashboard's active-sessions card: the most recently active sessions and their newest event. */
export interface RecentSessionsState {
  /** Most recently active first; null until the first answer. */
  sessions: RecentSession[] | null;
}

/** The active-sessions card's store. */
export type RecentSessionsStore = StoreApi<RecentSessionsState>;

/**
 * Moves `event`'s session to the front with the event as its newest; null when the session is
 * not in the list (a session that just became active: read the list again).
 */
export function withEvent(list: RecentSession[], event: TranscriptEvent): RecentSession[] | null {
  const found = list.find((r) => r.session.key === event.sessionKey);
  if (!found) return null;
  const updated: RecentSession = {
    session: {
      ...found.session,
      lastActivityAt: Math.max(found.session.lastActivityAt, event.at),
      eventCount: found.session.eventCount + 1,
    },
    last: found.last && found.last.id > event.id ? found.last : event,
  };
  return [updated, ...list.filter((r) => r !== found)];
}

function createRecentSessionsStore(transport: Transport): RecentSessionsStore {
  const store = createStore<RecentSessionsState>()(() => ({ sessions: null }));
  let asking = false;
  let askAgain = false;
  // One question at a time: a burst of events from new sessions asks once more, not once each.
  const refresh = async (): Promise<void> => {
    if (asking) {
      askAgain = true;
      return;
    }
    asking = true;
    const reply = await transport.invoke('sessions:recent', {});
    asking = false;
    if (reply.ok) store.setState({ sessions: reply.value });
    if (askAgain) {
      askAgain = false;
      void refresh();
    }
  };
  transport.on('session:event', (event) => {
    const list = store.getState().sessions;
    const next = list ? withEvent(list, event) : null;
    if (next) store.setState({ sessions: next });
    else void refresh();
  });
  transport.onConnection((state) => {
    if (state === 'connected') void refresh();
  });
  return store;
}

/** The one active-sessions store per transport. */
export const recentSessionsStoreFor = oncePerTransport(createRecentSessionsStore);
