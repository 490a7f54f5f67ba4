import { describe, expect, it } from 'vitest';
import { dmFrom } from '../../fixtures/baileys-socket-double.js';
import { NETWORK_DOWN, floodWait } from '../../fixtures/fake-telegram-api.js';
import { answerTo } from '../../fixtures/gated-model.js';
import {
  answersTo,
  markedDm,
  marker,
  connectedWhatsApp,
  sendSentinels,
  senderId,
  useDurableChats,
  useInProcessGateways,
} from '../../helpers/durable-chat.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * Replies leave through the durable outbox: a send that failed on the network or was told to
 * wait is tried again (after Telegram's `retry_after` when it gives one), each chat's replies keep
 * their order, and a chat whose send hangs holds up no other chat. Real grammY over HTTP against
 * the fake Bot API, the gated scripted model, the real gateway services on SQLite.
 */

const useChat = useDurableChats();
const gatewayOn = useInProcessGateways();

const sendsTo = (
  calls: { method: string; payload: Record<string, unknown>; at: number }[],
  chat: string,
) => calls.filter((c) => c.method === 'sendMessage' && String(c.payload['chat_id']) === chat);

describe('Telegram replies through the outbox', () => {
  it('a reply whose send failed with a socket hang-up is sent again', async () => {
    const chat = await useChat({ senders: 1, hold: () => false });
    await gatewayOn(chat.stateDir);
    await waitFor('polling', () => chat.api.count('getUpdates') > 0);
    chat.api.failNext('sendMessage', 1, NETWORK_DOWN);
    chat.api.pushUpdate(markedDm(chat.api, 0, 1));
    await waitFor('the answer, sent again', () => chat.answered(0, 1, 1));
    expect(sendsTo(chat.api.calls, String(senderId(0)))).toHaveLength(2);
    await sendSentinels(chat, 1, 2);
    expect(answersTo(chat, 0)).toEqual([marker(0, 1), marker(0, 2)]);
  });

  it('waits as long as Telegram’s retry_after says before sending again', async () => {
    const chat = await useChat({ senders: 1, hold: () => false });
    await gatewayOn(chat.stateDir);
    await waitFor('polling', () => chat.api.count('getUpdates') > 0);
    chat.api.failNext('sendMessage', 1, floodWait(3));
    chat.api.pushUpdate(markedDm(chat.api, 0, 1));
    await waitFor('the answer after the flood wait', () => chat.answered(0, 1, 1));
    const [refused, accepted] = sendsTo(chat.api.calls, String(senderId(0)));
    expect(accepted!.at - refused!.at).toBeGreaterThanOrEqual(2_900);
  });

  it('keeps a chat’s replies in order while the first waits for its retry', async () => {
    const chat = await useChat({ senders: 1, hold: () => false });
    await gatewayOn(chat.stateDir);
    await waitFor('polling', () => chat.api.count('getUpdates') > 0);
    chat.api.failNext('sendMessage', 1, NETWORK_DOWN);
    chat.api.pushUpdates([markedDm(chat.api, 0, 1), markedDm(chat.api, 0, 2)]);
    await waitFor('both answered', () => chat.answered(0, 1, 2));
    expect(answersTo(chat, 0)).toEqual([marker(0, 1), marker(0, 2)]);
  });

  it('a chat whose send hangs holds up no other chat', async () => {
    const chat = await useChat({ senders: 2, hold: () => false });
    await gatewayOn(chat.stateDir);
    await waitFor('polling', () => chat.api.count('getUpdates') > 0);
    const stuck = String(senderId(0));
    chat.api.holdSends(stuck);
    chat.api.pushUpdate(markedDm(chat.api, 0, 1));
    await waitFor('the send that hangs', () => sendsTo(chat.api.calls, stuck).length === 1);
    chat.api.pushUpdate(markedDm(chat.api, 1, 1));
    await waitFor('the other chat answered', () => chat.answered(1, 1, 1));
    expect(chat.api.sentTo(stuck)).toEqual([]);

    chat.api.releaseSends(stuck);
    await waitFor('the stuck chat answered', () => chat.answered(0, 1, 1));
    await sendSentinels(chat, 2, 2);
    expect(answersTo(chat, 0)).toEqual([marker(0, 1), marker(0, 2)]);
  });
});

describe('WhatsApp replies through the outbox', () => {
  it('a reply whose send failed is sent again', async () => {
    const FRIEND = '15550009001';
    const chat = await useChat({
      senders: 0,
      hold: () => false,
      config: { whatsapp: { enabled: true, allowFrom: [`+${FRIEND}`] } },
    });
    const { socket } = await connectedWhatsApp(gatewayOn, chat.stateDir);
    socket.failingSends = 1;
    socket.emitMessages([dmFrom(FRIEND, `${marker(0, 1)}: hello`)]);
    const friendJid = `${FRIEND}@s.whatsapp.net`;
    const sent = () => socket.sent.filter((m) => m.jid === friendJid).map((m) => m.text);
    await waitFor('the answer, sent again', () => sent().length === 2);
    expect(sent()).toEqual([answerTo(marker(0, 1)), answerTo(marker(0, 1))]);
    expect(socket.delivered.filter((m) => m.jid === friendJid).map((m) => m.text)).toEqual([
      answerTo(marker(0, 1)),
    ]);
  });
});
