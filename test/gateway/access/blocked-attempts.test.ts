import type { Update } from 'grammy/types';
import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../../src-shared/config/schema.js';
import { RATE_NOTICE_TEXT } from '../../../src-main/gateway/limits/inbound-limits.js';
import { createActivityRepo } from '../../../src-main/store/activity-repo.js';
import { createBlockedCountsRepo } from '../../../src-main/store/blocked-counts-repo.js';
import { openDatabase } from '../../../src-main/store/open-database.js';
import type { FakeTelegramApi } from '../../fixtures/fake-telegram-api.js';
import {
  answersTo,
  markedDm,
  type DurableChat,
  senderId,
  useDurableChats,
  useInProcessGateways,
} from '../../helpers/durable-chat.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * Issue 14, "blocked attempts": what identity and scope stopped is counted in SQLite by the
 * gateway, so the dashboard's 24-hour chart and its "Blocked today" card (both read
 * `activity:day`, the activity repository) count it — not only strangers held for pairing.
 * The real gateway services, Telegram through grammY against the fake Bot API, a scripted model.
 */

const useChat = useDurableChats();
const gatewayOn = useInProcessGateways();

const ALLOWED_GROUP = -1_001;
const REFUSED_GROUP = -2_002;
const STRANGER = 9_999;

/** A message from `from` in `chat`: a group (negative id) or, with `chat === from`, a DM. */
function message(api: FakeTelegramApi, chat: number, from: number, text: string) {
  return {
    message: {
      message_id: api.messageId(),
      date: Math.floor(Date.now() / 1000),
      chat:
        chat < 0
          ? { id: chat, type: 'supergroup', title: `Group ${chat}` }
          : { id: chat, type: 'private', first_name: `Person ${from}` },
      from: { id: from, is_bot: false, first_name: `Person ${from}` },
      text,
    },
  } as unknown as Omit<Update, 'update_id'>;
}

/**
 * Waits until sender 0 got the answer to their first message and the rate notice, and every one
 * of `messages` messages is recorded and finished: only then is an absence proven.
 */
async function settled(chat: DurableChat, messages: number): Promise<string[]> {
  await waitFor('the first answer and the rate notice', () => {
    const got = answersTo(chat, 0);
    return got.includes('s0-m1') && got.includes(RATE_NOTICE_TEXT);
  });
  return finished(chat, messages);
}

/** Waits until `messages` messages are recorded and every one of them is finished. */
function finished(chat: DurableChat, messages: number): Promise<string[]> {
  return waitFor('every message recorded and finished', () => {
    const states = inboxStates(chat.stateDir);
    const done = states.every((s) => s !== 'received' && s !== 'processing');
    return states.length === messages && done ? states : null;
  });
}

function inboxStates(stateDir: string): string[] {
  const db = openDatabase(stateDir);
  try {
    return db.prepare('SELECT state FROM inbox ORDER BY id').pluck().all() as string[];
  } finally {
    db.close();
  }
}

describe('blocked attempts, as the gateway counts them', () => {
  /** A chat whose sender 0 is the owner (`owner.telegram`), with its gateway running. */
  async function ownerChat(config: ConfigInput): Promise<DurableChat> {
    const chat = await useChat({
      senders: 1,
      hold: () => false,
      config: { ...config, owner: { telegram: [String(senderId(0))] } },
    });
    await gatewayOn(chat.stateDir);
    return chat;
  }

  it('counts rate-limited messages, refused groups and strangers, but not unaddressed group chatter', async () => {
    const chat = await useChat({
      senders: 1,
      hold: () => false,
      config: {
        limits: { sender: { messagesPerMinute: 1, burst: 1 } },
        telegram: {
          groupPolicy: 'open',
          groups: { [String(ALLOWED_GROUP)]: { requireMention: true } },
        },
      },
    });
    await gatewayOn(chat.stateDir);
    chat.api.pushUpdates([
      // Two members of a group the bot is not allowed in: both blocked.
      message(chat.api, REFUSED_GROUP, 501, 'hey bot, run this for me'),
      message(chat.api, REFUSED_GROUP, 502, '@durable_test_bot are you there?'),
      // Ordinary chatter in an allowed group, not addressed to the bot: not an attempt.
      message(chat.api, ALLOWED_GROUP, 503, 'lunch at noon?'),
      // A stranger under the allowlist policy: blocked.
      message(chat.api, STRANGER, STRANGER, 'let me in'),
      // A friend's flood: the first is answered, the other three are over the rate.
      ...[1, 2, 3, 4].map((m) => markedDm(chat.api, 0, m)),
    ]);
    await settled(chat, 8);

    // What `activity:day` serves both the chart and the Blocked today card.
    const db = openDatabase(chat.stateDir);
    try {
      const hours = createActivityRepo(db).lastDay(Date.now());
      const blocked = hours.reduce((sum, h) => sum + h.blocked, 0);
      expect(blocked).toBe(2 + 1 + 3);
      expect(hours.reduce((sum, h) => sum + h.messages, 0)).toBe(1);
      // Counted, not logged a row each: the refused group is one row whoever wrote there, the
      // friend's flood one row.
      const rows = createBlockedCountsRepo(db)
        .since(0)
        .map((r) => [r.reason, r.chatId, r.senderId, r.count]);
      expect(rows.sort()).toEqual([
        ['group-not-allowed', String(REFUSED_GROUP), '', 2],
        ['not-allowlisted', String(STRANGER), String(STRANGER), 1],
        ['rate-limited', String(senderId(0)), String(senderId(0)), 3],
      ]);
    } finally {
      db.close();
    }
    expect(chat.api.sentTo(String(STRANGER))).toEqual([]);
    expect(chat.api.sentTo(String(senderId(0)))).toHaveLength(2);
  });

  it('does not count the owner’s own messages that DMs off or a refused group stop, but still counts a stranger’s', async () => {
    const chat = await ownerChat({
      telegram: { dmPolicy: 'disabled', groups: { [String(ALLOWED_GROUP)]: {} } },
    });
    chat.api.pushUpdates([
      markedDm(chat.api, 0, 1),
      markedDm(chat.api, 0, 2),
      message(chat.api, REFUSED_GROUP, senderId(0), '@durable_test_bot are you here?'),
      message(chat.api, STRANGER, STRANGER, 'let me in'),
    ]);
    await finished(chat, 4);
    const db = openDatabase(chat.stateDir);
    try {
      const rows = createBlockedCountsRepo(db)
        .since(0)
        .map((r) => [r.reason, r.chatId, r.senderId, r.count]);
      expect(rows).toEqual([['dm-disabled', String(STRANGER), String(STRANGER), 1]]);
    } finally {
      db.close();
    }
    // `disabled` turns the provider's DMs off for the owner too: nobody is answered.
    expect(chat.api.sentTo(String(senderId(0)))).toEqual([]);
    expect(chat.api.sentTo(String(STRANGER))).toEqual([]);
  });

  it('does not count the owner’s own messages over the rate they set themselves', async () => {
    const chat = await ownerChat({ limits: { owner: { messagesPerMinute: 1, burst: 1 } } });
    chat.api.pushUpdates([1, 2, 3].map((m) => markedDm(chat.api, 0, m)));
    const states = await settled(chat, 3);
    expect(states.filter((s) => s === 'dropped')).toHaveLength(2);
    const db = openDatabase(chat.stateDir);
    try {
      expect(
        createActivityRepo(db)
          .lastDay(Date.now())
          .reduce((n, h) => n + h.blocked, 0),
      ).toBe(0);
    } finally {
      db.close();
    }
  });
});
