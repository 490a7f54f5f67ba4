import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../../src-main/store/open-database.js';
import { dmFrom, type BaileysSocketDouble } from '../../fixtures/baileys-socket-double.js';
import { answerTo } from '../../fixtures/gated-model.js';
import {
  answersTo,
  markedDm,
  marker,
  connectedWhatsApp,
  sendSentinels,
  useDurableChats,
  useInProcessGateways,
} from '../../helpers/durable-chat.js';
import { waitFor } from '../../helpers/wait.js';

/**
 * At-least-once inbound with de-duplication, through the real gateway services on SQLite: a
 * message being answered when the gateway stops is answered by the next start, and a message the
 * platform hands out again is answered once. Telegram through grammY over HTTP against the fake
 * Bot API; WhatsApp through its provider with only the Baileys socket replaced.
 */

const useChat = useDurableChats();
const gatewayOn = useInProcessGateways();

describe('Telegram: nothing acknowledged is lost, nothing answered twice', () => {
  it('a message being answered when the gateway stops is answered after the restart, once', async () => {
    const chat = await useChat({ senders: 1, hold: (m) => m === marker(0, 1) });
    const first = await gatewayOn(chat.stateDir);
    chat.api.pushUpdate(markedDm(chat.api, 0, 1));
    await waitFor('the turn in flight', () => chat.model.asked().includes(marker(0, 1)));
    await first.stop();

    chat.model.open();
    await gatewayOn(chat.stateDir);
    await waitFor('the answer after the restart', () => chat.answered(0, 1, 1));
    await sendSentinels(chat, 1, 2);
    expect(answersTo(chat, 0)).toEqual([marker(0, 1), marker(0, 2)]);
  });

  it('an update handed out again (its confirmation lost) is answered once', async () => {
    const chat = await useChat({ senders: 1, hold: () => false });
    const first = await gatewayOn(chat.stateDir);
    await waitFor('polling', () => chat.api.count('getUpdates') > 0);
    // The network drops after the update is handed out: its confirmation never reaches Telegram.
    const update = chat.api.pushUpdate(markedDm(chat.api, 0, 1));
    chat.api.loseConfirmationOf(update.update_id);
    await waitFor('the first answer', () => chat.answered(0, 1, 1));
    await first.stop();
    expect(chat.api.confirmedOffset()).toBeLessThanOrEqual(update.update_id);

    // The next start polls from Telegram's last confirmed offset and gets the update again.
    chat.api.clearFailures();
    await gatewayOn(chat.stateDir);
    await waitFor(
      'the update handed out again',
      () => chat.api.confirmedOffset() > update.update_id,
    );
    await sendSentinels(chat, 1, 2);
    expect(answersTo(chat, 0)).toEqual([marker(0, 1), marker(0, 2)]);
  });

  it('confirms an update to Telegram only once it is recorded', async () => {
    const chat = await useChat({ senders: 1, hold: () => false });
    const gateway = await gatewayOn(chat.stateDir);
    await waitFor('polling', () => chat.api.count('getUpdates') > 0);
    // Another process holds the database's write lock: nothing can be recorded meanwhile.
    const other = openDatabase(chat.stateDir);
    try {
      other.exec('BEGIN IMMEDIATE');
      const update = chat.api.pushUpdate(markedDm(chat.api, 0, 1));
      await waitFor(
        'a failed attempt to record it',
        () => gateway.lines.some((l) => l.includes('could not record')),
        20_000,
      );
      expect(chat.api.confirmedOffset()).toBeLessThanOrEqual(update.update_id);
      other.exec('ROLLBACK');
      await waitFor('the answer once recorded', () => chat.answered(0, 1, 1), 20_000);
      expect(chat.api.confirmedOffset()).toBeGreaterThan(update.update_id);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
  });
});

describe('WhatsApp: notify upserts are recorded before they are handled', () => {
  const FRIEND = '15550009001';
  const friendJid = `${FRIEND}@s.whatsapp.net`;

  const connectedGateway = (stateDir: string) => connectedWhatsApp(gatewayOn, stateDir);

  const friendChat = () =>
    useChat({
      senders: 0,
      hold: (m) => m === marker(0, 1),
      config: { whatsapp: { enabled: true, allowFrom: [`+${FRIEND}`] } },
    });
  const sentToFriend = (socket: BaileysSocketDouble) =>
    socket.sent.filter((m) => m.jid === friendJid).map((m) => m.text);

  it('a message being answered when the gateway stops is answered after the restart, once', async () => {
    const chat = await friendChat();
    const first = await connectedGateway(chat.stateDir);
    first.socket.emitMessages([dmFrom(FRIEND, `${marker(0, 1)}: hello`)]);
    await waitFor('the turn in flight', () => chat.model.asked().includes(marker(0, 1)));
    await first.gateway.stop();
    expect(sentToFriend(first.socket)).toEqual([]);

    chat.model.open();
    const second = await connectedGateway(chat.stateDir);
    await waitFor('the answer after the restart', () =>
      sentToFriend(second.socket).includes(answerTo(marker(0, 1))),
    );
    second.socket.emitMessages([dmFrom(FRIEND, `${marker(0, 2)}: and this`)]);
    await waitFor('the next answer', () =>
      sentToFriend(second.socket).includes(answerTo(marker(0, 2))),
    );
    expect(sentToFriend(second.socket)).toEqual([answerTo(marker(0, 1)), answerTo(marker(0, 2))]);
  });

  it('a message WhatsApp delivers again after a reconnect is answered once', async () => {
    const chat = await useChat({
      senders: 0,
      hold: () => false,
      config: { whatsapp: { enabled: true, allowFrom: [`+${FRIEND}`] } },
    });
    const { socket } = await connectedGateway(chat.stateDir);
    const message = dmFrom(FRIEND, `${marker(0, 1)}: once`);
    socket.emitMessages([message]);
    await waitFor('the answer', () => sentToFriend(socket).includes(answerTo(marker(0, 1))));
    // The same message again: as a live upsert, and as offline catch-up.
    socket.emitMessages([message]);
    socket.emitMessages([message], 'append');
    socket.emitMessages([dmFrom(FRIEND, `${marker(0, 2)}: sentinel`)]);
    await waitFor('the sentinel answered', () =>
      sentToFriend(socket).includes(answerTo(marker(0, 2))),
    );
    expect(sentToFriend(socket)).toEqual([answerTo(marker(0, 1)), answerTo(marker(0, 2))]);
  });
});
