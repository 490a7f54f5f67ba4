import { describe, expect, it } from 'vitest';
import { QUEUE_NOTICE_TEXT } from '../../../src-main/gateway/limits/inbound-limits.js';
import { createInboxRepo } from '../../../src-main/store/inbox-repo.js';
import { openDatabase } from '../../../src-main/store/open-database.js';
import type { Envelope } from '../../../src-shared/domain/envelope.js';
import {
  answersTo,
  markedDm,
  marker,
  senderId,
  sendSentinels,
  useDurableChats,
  useInProcessGateways,
} from '../../helpers/durable-chat.js';
import { dm } from '../../helpers/gateway-harness.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * Issue 10, items 4 and 7–9 together: the limits meet a message when it arrives, in the
 * transaction that records it in the inbox, and a restart picks up what waited within the same
 * bounds. The real gateway services on SQLite, Telegram through grammY against the fake Bot API,
 * the model a gated scripted server.
 */

const useChat = useDurableChats();
const gatewayOn = useInProcessGateways();

interface InboxRow {
  id: number;
  text: string;
  state: string;
}

function inboxRows(stateDir: string): InboxRow[] {
  const db = openDatabase(stateDir);
  try {
    return (
      db.prepare('SELECT id, envelope, state FROM inbox ORDER BY id').all() as {
        id: number;
        envelope: string;
        state: string;
      }[]
    ).map((r) => ({ id: r.id, text: (JSON.parse(r.envelope) as Envelope).text, state: r.state }));
  } finally {
    db.close();
  }
}

const stateOf = (rows: InboxRow[], m: string): string | undefined =>
  rows.find((r) => r.text.startsWith(`${m}:`))?.state;

describe('limits on arrival, with the inbox', () => {
  it('a message the queue bound turns away is finished as dropped when recorded, and no restart revives it', async () => {
    const chat = await useChat({
      senders: 1,
      hold: (m) => m === marker(0, 1),
      config: { limits: { maxQueuedPerSession: 1, sender: { burst: 50 } } },
    });
    const first = await gatewayOn(chat.stateDir);
    chat.api.pushUpdates([1, 2, 3, 4, 5].map((m) => markedDm(chat.api, 0, m)));
    await waitFor('the queue notice', () => answersTo(chat, 0).includes(QUEUE_NOTICE_TEXT));
    await waitFor('the first turn in flight', () => chat.model.asked().includes(marker(0, 1)));

    // One being answered, one waiting behind it; the other three were finished on arrival.
    const rows = inboxRows(chat.stateDir);
    expect([1, 2, 3, 4, 5].map((m) => stateOf(rows, marker(0, m)))).toEqual([
      'processing',
      'received',
      'dropped',
      'dropped',
      'dropped',
    ]);
    // The notice answers the first message turned away, through the durable outbox.
    const db = openDatabase(chat.stateDir);
    try {
      expect(
        db.prepare('SELECT inbox_id FROM outbox WHERE text = ?').pluck().all(QUEUE_NOTICE_TEXT),
      ).toEqual([rows.find((r) => r.text.startsWith(`${marker(0, 3)}:`))!.id]);
    } finally {
      db.close();
    }

    // Stopped with one turn cut short and one message waiting: both are answered by the next
    // start, the three dropped ones never.
    await first.stop();
    chat.model.open();
    await gatewayOn(chat.stateDir);
    await waitFor('the answers after the restart', () => chat.answered(0, 1, 2));
    await sendSentinels(chat, 1, 6);
    expect(answersTo(chat, 0)).toEqual([
      QUEUE_NOTICE_TEXT,
      marker(0, 1),
      marker(0, 2),
      marker(0, 6),
    ]);
    for (const m of [3, 4, 5]) expect(chat.model.asked()).not.toContain(marker(0, m));
  });

  it('cuts an overlong message before its inbox row is written', async () => {
    const chat = await useChat({
      senders: 1,
      hold: () => false,
      config: { limits: { maxInboundChars: 100 } },
    });
    await gatewayOn(chat.stateDir);
    const update = markedDm(chat.api, 0, 1);
    update.message!.text = `${update.message!.text} ${'x'.repeat(5000)} END`;
    chat.api.pushUpdate(update);
    await waitFor('the answer', () => chat.answered(0, 1, 1));
    const [row] = inboxRows(chat.stateDir);
    expect(row!.text.startsWith(`${marker(0, 1)}: please answer this one xxx`)).toBe(true);
    expect(row!.text).toContain('more characters cut: messages are limited to 100');
    expect(row!.text).not.toContain('END');
  });

  it('a restart picks up what waited within the queue bound, and never limits the owner', async () => {
    const [friend, owner] = [senderId(0), senderId(1)].map(String) as [string, string];
    const chat = await useChat({
      senders: 2,
      hold: () => false,
      config: {
        owner: { telegram: [owner] },
        limits: { maxQueuedPerSession: 2, sender: { burst: 1 } },
      },
    });
    // What an earlier run recorded and never decided (it was stopping): six messages each from
    // a friend and from the owner, more than the friend's bound and burst allow.
    const db = openDatabase(chat.stateDir);
    const at = Date.now();
    createInboxRepo(db).record(
      [0, 1].flatMap((k) =>
        [1, 2, 3, 4, 5, 6].map((m) => ({
          provider: 'telegram' as const,
          messageId: `earlier-${k}-${m}`,
          envelope: dm(k === 0 ? friend : owner, `${marker(k, m)}: please answer this one`),
        })),
      ),
      at,
    );
    db.close();

    await gatewayOn(chat.stateDir);
    // The friend: one answered and two waiting behind it, the rest turned away with one notice;
    // the rate, which the earlier run already applied to them, is not applied again.
    await waitFor('the friend’s three answers', () => chat.answered(0, 1, 3), 30_000);
    expect(answersTo(chat, 0)).toEqual([
      QUEUE_NOTICE_TEXT,
      marker(0, 1),
      marker(0, 2),
      marker(0, 3),
    ]);
    // The owner: all six, in order.
    await waitFor('the owner’s six answers', () => chat.answered(1, 1, 6), 30_000);
    expect(answersTo(chat, 1)).toEqual([1, 2, 3, 4, 5, 6].map((m) => marker(1, m)));
    const rows = inboxRows(chat.stateDir);
    expect([4, 5, 6].map((m) => stateOf(rows, marker(0, m)))).toEqual([
      'dropped',
      'dropped',
      'dropped',
    ]);
    for (const m of [4, 5, 6]) expect(chat.model.asked()).not.toContain(marker(0, m));
  });
});
