import type { SessionRecord, SessionsRepo } from '../../store/sessions-repo.js';
import type { Delivery } from '../inbound/delivery.js';
import type { ModelMessage } from './model/model-types.js';
import { elevatedTurnEvents, historyFromEvents } from './transcript-history.js';

/** How many recent events of the current conversation are sent to the model. */
const HISTORY_EVENTS = 400;

/** How far back a resumed turn looks for its message in the transcript. */
const RESUME_LOOKBACK_EVENTS = 200;

/** Whether a resumed turn's message is already in the transcript (an earlier attempt put it). */
export function alreadyRecorded(repo: SessionsRepo, delivery: Delivery): boolean {
  const inboxId = delivery.inbox?.id;
  if (inboxId === undefined || !delivery.inbox?.resumed) return false;
  return repo
    .events(delivery.sessionKey, {
      beforeId: Number.MAX_SAFE_INTEGER,
      limit: RESUME_LOOKBACK_EVENTS,
    })
    .some((e) => e.kind === 'inbound' && e.data?.['inboxId'] === inboxId);
}

/**
 * The messages a turn shows the model: the recent events of the session's current conversation.
 * `mayElevate`: the turn can reach the host, and only the words of the senders it accepts (and
 * the assistant's) are shown; null: everything is.
 */
export function turnMessages(
  repo: SessionsRepo,
  sessionKey: string,
  session: SessionRecord,
  mayElevate: ((senderId: string) => boolean) | null,
): ModelMessage[] {
  const current = repo.get(sessionKey) ?? session;
  const events = repo
    .events(sessionKey, { beforeId: Number.MAX_SAFE_INTEGER, limit: HISTORY_EVENTS })
    .filter((event) => event.id >= current.contextFromId);
  // A turn that can reach the host sees only the words of people elevated is for (a group's
  // context holds everyone's), and the assistant's.
  const messages = historyFromEvents(mayElevate ? elevatedTurnEvents(events, mayElevate) : events);
  // A conversation must open with a user message; drop anything the window cut in half.
  while (messages.length > 0 && messages[0]!.role !== 'user') messages.shift();
  return messages;
}
