import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src-shared/config/schema.js';
import { createAccessStore } from '../../../src-main/access/access-store.js';
import { PairingService } from '../../../src-main/access/pairing-service.js';
import { formatEvent } from '../../../src-main/cli/transcript-format.js';
import { createSessionsRepo } from '../../../src-main/store/sessions-repo.js';
import { markerAsked, markersSeen } from '../../fixtures/gated-model.js';
import {
  answersTo,
  markedDm,
  marker,
  senderId,
  useDurableChats,
  useInProcessGateways,
} from '../../helpers/durable-chat.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * Catch-up after downtime, through grammY over HTTP: what Telegram kept while the gateway was
 * down reaches it when it returns. Allowed senders' messages from the last
 * `session.catchUpMinutes` are answered; older ones are recorded in the transcript as missed and
 * never answered (nor shown to the model); a stranger's catch-up never gets a pairing reply.
 */

const useChat = useDurableChats();
const gatewayOn = useInProcessGateways();

const MINUTE = 60_000;
const STRANGER = 9;

describe('catch-up after downtime', () => {
  it('answers recent catch-up, records older as missed, never pairs a stranger from it', async () => {
    const chat = await useChat({
      senders: 2,
      hold: () => false,
      config: { telegram: { dmPolicy: 'pairing' } },
    });
    const { api } = chat;
    // Sent while the gateway was down; Telegram kept them.
    api.pushUpdates([
      markedDm(api, 0, 1, 5 * MINUTE),
      markedDm(api, 1, 1, 20 * MINUTE),
      markedDm(api, STRANGER, 1, 5 * MINUTE),
    ]);
    const gateway = await gatewayOn(chat.stateDir);
    await waitFor('the recent catch-up answered', () => chat.answered(0, 1, 1));

    // Live messages now; each chat is handled in order, so these come after the catch-up.
    api.pushUpdates([markedDm(api, 1, 2), markedDm(api, STRANGER, 2)]);
    await waitFor('the live message answered', () => chat.answered(1, 2, 2));
    await waitFor(
      'the stranger’s pairing reply',
      () => api.sentTo(String(senderId(STRANGER))).length > 0,
    );

    expect(answersTo(chat, 0)).toEqual([marker(0, 1)]);
    expect(answersTo(chat, 1)).toEqual([marker(1, 2)]);
    // Only the live message made a pairing request, and got the one reply.
    const strangerReplies = api.sentTo(String(senderId(STRANGER)));
    expect(strangerReplies).toHaveLength(1);
    expect(strangerReplies[0]).toMatch(/pairing code: /);
    expect(new PairingService(createAccessStore(gateway.db)).list('telegram')).toHaveLength(1);

    // The old message is in the transcript, marked missed, and the model never saw it.
    const events = createSessionsRepo(gateway.db).events(`dm:telegram:${senderId(1)}`, {
      limit: 100,
    });
    const missed = events.filter((e) => e.kind === 'inbound' && e.data?.['missed'] === true);
    expect(missed.map((e) => e.text)).toEqual([expect.stringContaining(marker(1, 1))]);
    // `clawdbot sessions show` says so.
    expect(formatEvent(missed[0]!)).toContain('(missed: not answered)');
    expect(chat.model.asked()).not.toContain(marker(1, 1));
    const later = chat.model.server.requests.find((r) => markerAsked(r) === marker(1, 2))!;
    expect(markersSeen(later)).toEqual([marker(1, 2)]);
  });

  it('session.catchUpMinutes defaults to 10 and names itself when invalid', () => {
    expect(ConfigSchema.parse({}).session.catchUpMinutes).toBe(10);
    expect(ConfigSchema.parse({ session: { catchUpMinutes: 0 } }).session.catchUpMinutes).toBe(0);
    const bad = ConfigSchema.safeParse({ session: { catchUpMinutes: -5 } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['session', 'catchUpMinutes']);
    expect(bad.error?.issues[0]?.message).toMatch(/catchUpMinutes/);
  });
});
