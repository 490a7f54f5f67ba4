/**
 * The WhatsApp provider, with only the Baileys socket replaced: a double that emits Baileys'
 * real event shapes and records what it is asked to send. Everything above it is real — the
 * provider, Baileys' own multi-file auth state on a temp state directory, the gateway core and
 * provider manager from composeGateway, SQLite, the access pipeline, the "not configured"
 * session step.
 *
 * Where the shapes come from (@whiskeysockets/baileys 7.0.0-rc14 in node_modules; details in
 * test/fixtures/baileys-socket-double.ts):
 * - node_modules/@whiskeysockets/baileys/lib/Types/Events.d.ts — BaileysEventMap
 *   ('connection.update', 'creds.update', 'messages.upsert' with type 'notify' | 'append') and
 *   BaileysEventEmitter;
 * - node_modules/@whiskeysockets/baileys/lib/Types/State.d.ts — ConnectionState (qr, connection,
 *   lastDisconnect.error as a Boom with output.statusCode);
 * - node_modules/@whiskeysockets/baileys/lib/Types/index.d.ts — DisconnectReason;
 * - node_modules/@whiskeysockets/baileys/lib/Types/Message.d.ts and WAProto/index.d.ts —
 *   WAMessage, WAMessageKey (remoteJidAlt, participantAlt), proto.IMessage,
 *   proto.IContextInfo.mentionedJid;
 * - node_modules/@whiskeysockets/baileys/lib/Socket/socket.js and messages-send.js — behaviour:
 *   creds merged on 'creds.update', `user` = creds.me, 515 after pairing, close on end(), own
 *   sends echoed as 'append'.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultConfig, type ConfigInput } from '../../../src-shared/config/schema.js';
import { APPROVED_TEXT } from '../../../src-shared/domain/access.js';
import type { Envelope } from '../../../src-shared/domain/envelope.js';
import type { ProviderStatus } from '../../../src-shared/domain/provider-status.js';
import { createAccessStore } from '../../../src-main/access/access-store.js';
import { PairingService } from '../../../src-main/access/pairing-service.js';
import {
  composeGateway,
  type Gateway as GatewayServices,
} from '../../../src-main/gateway/gateway-composition.js';
import { NOT_CONFIGURED_TEXT } from '../../../src-main/gateway/not-configured-responder.js';
import type {
  ProviderHost,
  ProviderReport,
} from '../../../src-main/gateway/providers/provider-runtime.js';
import { isWhatsAppLinked } from '../../../src-main/gateway/providers/whatsapp/auth-state.js';
import {
  CATCH_UP_WINDOW_MS,
  chatIdToJid,
  messageToEnvelope,
  type ConversionContext,
} from '../../../src-main/gateway/providers/whatsapp/message-to-envelope.js';
import {
  RECONNECT_DELAYS_MS,
  ReconnectBackoff,
} from '../../../src-main/gateway/providers/whatsapp/reconnect-backoff.js';
import {
  SOCKET_MODULE_ENV,
  baileysLogger,
} from '../../../src-main/gateway/providers/whatsapp/socket-factory.js';
import { runWhatsAppLogin } from '../../../src-main/gateway/providers/whatsapp/whatsapp-login.js';
import {
  createWhatsAppProviderFactory,
  whatsappAutoStart,
  type WhatsAppProviderOptions,
  type WhatsAppProviderRuntime,
} from '../../../src-main/gateway/providers/whatsapp/whatsapp-provider.js';
import { createLogger, silentLogger } from '../../../src-main/logging/logger.js';
import { openDatabase } from '../../../src-main/store/open-database.js';
import {
  BaileysSocketDouble,
  OWN_JID,
  OWN_LID,
  OWN_NUMBER,
  STATUS,
  createdSockets,
  dmFrom,
  groupMessageFrom,
  imageFrom,
  lidDmFrom,
  ownMessageTo,
  reactionFrom,
  selfChatMessage,
  statusBroadcastFrom,
} from '../../fixtures/baileys-socket-double.js';
import { startCli } from '../../helpers/cli.js';
import { writeConfig } from '../../helpers/gateway-harness.js';
import { readLogRecords } from '../../helpers/log-files.js';
import { NO_DOCKER_HOST, fixturesDir } from '../../helpers/paths.js';
import { useTempStateDirs } from '../../helpers/temp-state.js';
import { waitFor } from '../../helpers/wait.js';
import { whatsappAuthDir } from '../../../src-main/state-layout.js';

const OWNER = `+${OWN_NUMBER}`;
const STRANGER = '15550002222';
/** Allowed in the config: their messages reach a session and are answered "not configured". */
const FRIENDS = ['15550009001', '15550009002', '15550009003', '15550009004'];
const GROUP = '120363041234567890@g.us';
const jidOf = (number: string): string => `${number}@s.whatsapp.net`;

const baseConfig: ConfigInput = {
  whatsapp: { enabled: true, groupPolicy: 'open', allowFrom: FRIENDS.map((n) => `+${n}`) },
};

interface Harness {
  services: GatewayServices;
  db: Database;
  stateDir: string;
  sockets: BaileysSocketDouble[];
  /** Every WhatsApp status the gateway published, in order. */
  statuses: ProviderStatus[];
  logLines: string[];
  /** Every envelope the provider recorded in the core's inbox. */
  envelopes: () => Envelope[];
  socket: () => BaileysSocketDouble;
  whatsapp: () => ProviderStatus;
}

const stateDirs = useTempStateDirs();
const running: Harness[] = [];
const extraDbs: Database[] = [];
afterEach(async () => {
  for (const h of running.splice(0)) {
    await h.services.stop();
    h.db.close();
  }
  for (const db of extraDbs.splice(0)) db.close();
});

async function startHarness(
  config: ConfigInput = baseConfig,
  options: WhatsAppProviderOptions = {},
): Promise<Harness> {
  const stateDir = stateDirs();
  writeConfig(stateDir, config);
  const db = openDatabase(stateDir);
  const sockets: BaileysSocketDouble[] = [];
  const statuses: ProviderStatus[] = [];
  const logLines: string[] = [];
  const services = composeGateway({
    db,
    stateDir,
    configPath: join(stateDir, 'clawdbot.json'),
    log: createLogger({ process: 'gateway', level: 'debug', write: (line) => logLines.push(line) }),
    factories: {
      whatsapp: createWhatsAppProviderFactory({
        makeSocket: (socketConfig) => {
          const socket = new BaileysSocketDouble(socketConfig);
          sockets.push(socket);
          return socket;
        },
        reconnectDelaysMs: [50, 100],
        ...options,
      }),
    },
    events: {
      providers: (list) => statuses.push(list.find((s) => s.provider === 'whatsapp')!),
      console: () => undefined,
      sessionEvent: () => undefined,
    },
  });
  await services.start();
  const recorded = vi.spyOn(services.inbound, 'receive');
  const harness: Harness = {
    services,
    db,
    stateDir,
    sockets,
    statuses,
    logLines,
    envelopes: () => recorded.mock.calls.flatMap(([batch]) => batch as Envelope[]),
    socket: () => sockets.at(-1)!,
    whatsapp: () => statuses.at(-1)!,
  };
  running.push(harness);
  return harness;
}

/** Starts a gateway and brings WhatsApp to `connected` as the owner's number. */
async function connected(
  config?: ConfigInput,
  options?: WhatsAppProviderOptions,
): Promise<Harness> {
  const h = await startHarness(config, options);
  await waitFor('the first socket', () => h.sockets.length === 1);
  h.socket().open();
  await waitFor('connected', () => h.whatsapp().state === 'connected');
  return h;
}

/** The messages sent to one jid. */
function sentTo(socket: BaileysSocketDouble, jid: string): string[] {
  return socket.sent.filter((m) => m.jid === jid).map((m) => m.text);
}

/**
 * Sends a message from an allowed friend, waits for its "not configured" answer, then for the
 * provider to have recorded everything and the gateway to have handled it. Chats are handled side
 * by side (each in order), so the answer alone says nothing about other chats; once both are idle
 * every message emitted before has been decided: "no reply" is then a fact, not a timeout.
 */
async function sentinel(h: Harness, friend: string): Promise<void> {
  h.socket().emitMessages([dmFrom(friend, 'sentinel')]);
  await waitFor(`the reply to ${friend}`, () => sentTo(h.socket(), jidOf(friend)).length > 0);
  await (h.services.providers.runtime('whatsapp') as WhatsAppProviderRuntime).idle();
  await h.services.inbound.idle();
}

function deliveredSessions(h: Harness): { session: string; trust: string }[] {
  return h.logLines
    .map((line) => JSON.parse(line) as { msg: string; session?: string; trust?: string })
    .filter((entry) => entry.msg === 'delivered')
    .map((entry) => ({ session: entry.session!, trust: entry.trust! }));
}

describe('WhatsApp provider: linking and connection', () => {
  it('reports each QR as it rotates, then the linked number, and saves the link privately', async () => {
    const h = await startHarness();
    await waitFor('the first socket', () => h.sockets.length === 1);
    h.socket().emitQr('2@first-ref,noise,identity,adv');
    await waitFor('the first QR', () => h.whatsapp().qr === '2@first-ref,noise,identity,adv');
    expect(h.whatsapp().state).toBe('qr');
    h.socket().emitQr('2@second-ref,noise,identity,adv');
    await waitFor('the rotated QR', () => h.whatsapp().qr === '2@second-ref,noise,identity,adv');

    // The phone scans: pair-success saves `me`, WhatsApp asks for a restart (515), and the new
    // socket logs in.
    h.socket().completeLink();
    await waitFor('a fresh socket after 515', () => h.sockets.length === 2);
    h.socket().open();
    await waitFor('connected', () => h.whatsapp().state === 'connected');
    expect(h.whatsapp()).toMatchObject({ account: OWNER, qr: null });
    // A 515 is the normal end of linking, not an error to show.
    expect(h.whatsapp().lastError).toBeNull();

    const qrs = h.statuses.filter((s) => s.state === 'qr').map((s) => s.qr);
    expect([...new Set(qrs)]).toEqual([
      '2@first-ref,noise,identity,adv',
      '2@second-ref,noise,identity,adv',
    ]);

    await waitFor('the link saved', () => isWhatsAppLinked(h.stateDir));
    const dir = whatsappAuthDir(h.stateDir);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(h.stateDir, 'credentials')).mode & 0o777).toBe(0o700);
    await waitFor(
      'creds.json owner-only',
      () => (statSync(join(dir, 'creds.json')).mode & 0o777) === 0o600,
    );
    expect(whatsappAutoStart(defaultConfig, h.stateDir)).toBe(true);
  });

  it('never puts credentials in statuses or logs', async () => {
    const h = await startHarness();
    await waitFor('the first socket', () => h.sockets.length === 1);
    h.socket().emitQr('2@ref,noise,identity,adv');
    h.socket().completeLink();
    await waitFor('a fresh socket', () => h.sockets.length === 2);
    h.socket().open();
    await waitFor('connected', () => h.whatsapp().state === 'connected');
    h.socket().close(STATUS.connectionLost, 'Connection Lost');
    await waitFor('reconnected', () => h.sockets.length === 3);
    h.socket().open();
    await waitFor('connected again', () => h.whatsapp().state === 'connected');
    await waitFor('the link saved', () => isWhatsAppLinked(h.stateDir));

    // Baileys' BufferJSON stores key material as { type: 'Buffer', data: <base64> }, and the
    // adv secret as a base64 string. Look for each in base64, hex and as JSON byte arrays (how
    // JSON.stringify would print a Buffer).
    const creds = readFileSync(join(whatsappAuthDir(h.stateDir), 'creds.json'), 'utf8');
    const base64 = [
      ...[...creds.matchAll(/"data":"([A-Za-z0-9+/=]{16,})"/g)].map((m) => m[1]!),
      (JSON.parse(creds) as { advSecretKey: string }).advSecretKey,
    ];
    expect(base64.length).toBeGreaterThanOrEqual(5);
    const encodings = base64.flatMap((b64) => {
      const bytes = Buffer.from(b64, 'base64');
      return [b64, bytes.toString('hex'), bytes.toJSON().data.join(',')];
    });
    const published = JSON.stringify(h.statuses) + h.logLines.join('\n');
    for (const secret of encodings) expect(published).not.toContain(secret);
    // What was searched holds the lines written while linking and reconnecting.
    const messages = h.logLines.map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(messages.filter((m) => m === 'whatsapp connected')).toHaveLength(2);
    expect(messages).toContain('whatsapp connection closed; reconnecting');
    expect(h.statuses.some((s) => s.state === 'qr')).toBe(true);
  });

  it('reconnects with a new socket after a transient close, and ignores the old one', async () => {
    const h = await connected();
    const first = h.socket();
    first.close(STATUS.connectionClosed, 'Connection Closed');
    await waitFor('connecting with the reason', () => h.whatsapp().state === 'connecting');
    expect(h.whatsapp().lastError).toContain('428');
    await waitFor('a new socket', () => h.sockets.length === 2);
    // The closed socket's listeners are gone: nothing it emits is handled any more.
    expect(first.ev.listenerCount('messages.upsert')).toBe(0);
    h.socket().open();
    await waitFor('connected again', () => h.whatsapp().state === 'connected');
    expect(h.whatsapp().account).toBe(OWNER);

    h.socket().emitMessages([dmFrom(STRANGER, 'hello')]);
    await waitFor(
      'a pairing reply on the new socket',
      () => sentTo(h.socket(), jidOf(STRANGER)).length === 1,
    );
    expect(first.sent).toEqual([]);
  });

  it('logged out from the phone: clears the link, reports logged-out, does not reconnect', async () => {
    const h = await startHarness();
    await waitFor('the first socket', () => h.sockets.length === 1);
    h.socket().completeLink();
    await waitFor('a fresh socket', () => h.sockets.length === 2);
    h.socket().open();
    await waitFor('connected', () => h.whatsapp().state === 'connected');
    await waitFor('the link saved', () => isWhatsAppLinked(h.stateDir));

    const reportedBefore = h.statuses.length;
    h.socket().close(STATUS.loggedOut, 'Connection Failure');
    await waitFor('logged-out', () => h.whatsapp().state === 'logged-out');
    expect(h.whatsapp().account).toBeNull();
    expect(existsSync(whatsappAuthDir(h.stateDir))).toBe(false);
    expect(isWhatsAppLinked(h.stateDir)).toBe(false);
    // A reconnect is reported as `connecting` when it is scheduled, before its socket; the
    // device is reported logged out once the provider has stopped for good. Nothing but that
    // was reported since the close, so no reconnect was scheduled, and none can be now.
    expect(h.statuses.slice(reportedBefore).map((s) => s.state)).toEqual(['logged-out']);
    expect(h.sockets).toHaveLength(2);
    expect(h.services.providers.runtime('whatsapp')).toBeUndefined();
  });

  it('the owner’s logout unlinks over the socket and removes the link', async () => {
    const h = await connected();
    await waitFor('the link saved', () => isWhatsAppLinked(h.stateDir));
    await h.services.controlProvider('whatsapp', 'logout');
    expect(h.socket().loggedOut).toBe(true);
    expect(existsSync(whatsappAuthDir(h.stateDir))).toBe(false);
    expect(h.whatsapp().state).toBe('logged-out');
  });

  it('an explicit start builds the provider even when it would not start on its own', async () => {
    const h = await startHarness({ whatsapp: { enabled: false } });
    expect(whatsappAutoStart(defaultConfig, h.stateDir)).toBe(false);
    expect(
      whatsappAutoStart(
        { ...defaultConfig, whatsapp: { ...defaultConfig.whatsapp, enabled: true } },
        h.stateDir,
      ),
    ).toBe(true);
    await h.services.controlProvider('whatsapp', 'stop');
    const before = h.sockets.length;
    await h.services.controlProvider('whatsapp', 'start');
    await waitFor('a socket for the explicit start', () => h.sockets.length === before + 1);
    h.socket().emitQr('2@link-me');
    await waitFor('the QR', () => h.whatsapp().qr === '2@link-me');
  });
});

describe('WhatsApp provider: inbound messages through the real gateway', () => {
  it('a stranger gets a pairing code at their jid, wrapped in typing presence', async () => {
    const h = await connected();
    h.socket().emitMessages([dmFrom(STRANGER, 'hello bot', { pushName: 'Stranger Danger' })]);
    await waitFor('the pairing reply', () => sentTo(h.socket(), jidOf(STRANGER)).length === 1);
    const [reply] = sentTo(h.socket(), jidOf(STRANGER));
    expect(reply).toMatch(/pairing code: [A-HJ-NP-Z2-9]{8}/);
    expect(reply).toContain('clawdbot pairing approve --provider whatsapp');
    expect(reply).toContain(`Your WhatsApp number: +${STRANGER}`);

    const calls = h.socket().calls.filter((c) => c.jid === jidOf(STRANGER));
    expect(calls.map((c) => (c.kind === 'presence' ? c.type : 'message'))).toEqual([
      'composing',
      'message',
      'paused',
    ]);

    const pending = new PairingService(createAccessStore(h.db)).list('whatsapp');
    expect(pending).toMatchObject([{ senderId: `+${STRANGER}`, displayName: 'Stranger Danger' }]);
    expect(h.envelopes()[0]).toMatchObject({
      provider: 'whatsapp',
      chatKind: 'dm',
      chatId: `+${STRANGER}`,
      senderId: `+${STRANGER}`,
      senderName: 'Stranger Danger',
      text: 'hello bot',
      isHistory: false,
      fromOwnerAccount: false,
    });
  });

  it('approval with notify goes out over the live socket; the approved sender then reaches a session', async () => {
    const h = await connected();
    h.socket().emitMessages([dmFrom(STRANGER, 'hello')]);
    await waitFor('the pairing reply', () => sentTo(h.socket(), jidOf(STRANGER)).length === 1);
    const code = /pairing code: ([A-Z0-9]{8})/.exec(sentTo(h.socket(), jidOf(STRANGER))[0]!)![1]!;

    // The CLI's side: another connection to the same database.
    const cliDb = openDatabase(h.stateDir);
    extraDbs.push(cliDb);
    new PairingService(createAccessStore(cliDb)).approve('whatsapp', code.toLowerCase(), {
      notify: true,
      actor: 'cli',
    });
    await waitFor(
      'the approval notice',
      () => sentTo(h.socket(), jidOf(STRANGER)).includes(APPROVED_TEXT),
      2000,
    );

    h.socket().emitMessages([dmFrom(STRANGER, 'hi again')]);
    await waitFor('the session reply', () =>
      sentTo(h.socket(), jidOf(STRANGER)).includes(NOT_CONFIGURED_TEXT),
    );
    expect(deliveredSessions(h)).toContainEqual({
      session: `dm:whatsapp:+${STRANGER}`,
      trust: 'allowed',
    });
  });

  it('catch-up: strangers’ never answered, friends’ answered up to catchUpMinutes', async () => {
    const h = await connected();
    const seconds = (ms: number) => Math.floor((Date.now() - ms) / 1000);
    // Before connect − 30 s: catch-up, like what WhatsApp delivers as offline ('append').
    const recent = seconds(CATCH_UP_WINDOW_MS + 60_000);
    const old = seconds(11 * 60_000);
    h.socket().emitMessages([dmFrom('15550003333', 'offline, from a stranger')], 'append');
    h.socket().emitMessages([
      dmFrom('15550004444', 'sent while we were away', { timestamp: recent }),
    ]);
    h.socket().emitMessages(
      [dmFrom(FRIENDS[1]!, 'friend, long ago', { timestamp: old })],
      'append',
    );
    h.socket().emitMessages([dmFrom(FRIENDS[2]!, 'friend, just now')], 'append');
    h.socket().emitMessages([dmFrom(FRIENDS[3]!, 'friend, a minute ago', { timestamp: recent })]);
    await sentinel(h, FRIENDS[0]!);

    // Strangers: no reply, and no pairing request either.
    expect(sentTo(h.socket(), jidOf('15550003333'))).toEqual([]);
    expect(sentTo(h.socket(), jidOf('15550004444'))).toEqual([]);
    expect(new PairingService(createAccessStore(h.db)).list('whatsapp')).toEqual([]);
    // Friends: answered within `session.catchUpMinutes` (10), recorded as missed beyond it.
    expect(sentTo(h.socket(), jidOf(FRIENDS[1]!))).toEqual([]);
    expect(sentTo(h.socket(), jidOf(FRIENDS[2]!))).toEqual([NOT_CONFIGURED_TEXT]);
    expect(sentTo(h.socket(), jidOf(FRIENDS[3]!))).toEqual([NOT_CONFIGURED_TEXT]);
    expect(h.logLines.some((l) => l.includes('recorded as missed'))).toBe(true);
    // Chats are handled side by side: their order is not a promise, each one's verdict is.
    expect(h.envelopes().map((e) => [e.text, e.isHistory])).toEqual(
      expect.arrayContaining([
        ['offline, from a stranger', true],
        ['sent while we were away', true],
        ['friend, long ago', true],
        ['friend, just now', true],
        ['friend, a minute ago', true],
        ['sentinel', false],
      ]),
    );
    expect(h.envelopes()).toHaveLength(6);
  });

  it('ignores status broadcasts, reactions and the owner’s messages to others', async () => {
    const h = await connected();
    h.socket().emitMessages([
      statusBroadcastFrom(STRANGER, 'my holiday'),
      reactionFrom(STRANGER, '👍'),
      ownMessageTo(STRANGER, 'see you later'),
    ]);
    await sentinel(h, FRIENDS[0]!);
    expect(sentTo(h.socket(), jidOf(STRANGER))).toEqual([]);
    expect(sentTo(h.socket(), 'status@broadcast')).toEqual([]);
    // Only the sentinel reached the gateway.
    expect(h.envelopes()).toHaveLength(1);
  });

  it('the owner’s self-chat is the owner, in the main session; our own echoes are not', async () => {
    const h = await connected();
    h.socket().emitMessages([selfChatMessage('note to self: hello assistant')]);
    await waitFor('the reply in the self-chat', () =>
      sentTo(h.socket(), jidOf(OWN_NUMBER)).includes(NOT_CONFIGURED_TEXT),
    );
    expect(h.envelopes()[0]).toMatchObject({
      chatKind: 'dm',
      chatId: OWNER,
      senderId: OWNER,
      fromOwnerAccount: true,
      isHistory: false,
    });
    expect(deliveredSessions(h)).toEqual([{ session: 'main', trust: 'owner' }]);

    // Our reply is echoed back by Baileys as 'append' (done by the double); even replayed as a
    // live message with our id, it is not the owner writing.
    const ours = h.socket().sent.find((m) => m.jid === jidOf(OWN_NUMBER))!;
    h.socket().emitMessages([selfChatMessage(ours.text, { id: ours.messageId! })]);
    await sentinel(h, FRIENDS[0]!);
    expect(deliveredSessions(h).filter((d) => d.session === 'main')).toHaveLength(1);
    expect(h.envelopes().filter((e) => e.fromOwnerAccount)).toHaveLength(1);
  });

  it('groups: answered when the bot is mentioned or quoted, ignored otherwise', async () => {
    const h = await connected();
    const other = '120363049999999999@g.us';
    const third = '120363048888888888@g.us';
    h.socket().emitMessages([
      groupMessageFrom(GROUP, STRANGER, 'just chatting among ourselves'),
      groupMessageFrom(GROUP, STRANGER, 'mentioning someone else', {
        mentionedJid: [jidOf('15550007777')],
      }),
      // The assistant's name matches the default pattern, but the mention is someone else's.
      groupMessageFrom(GROUP, STRANGER, 'Clawd is slow today, @15550007777 can you help?', {
        mentionedJid: [jidOf('15550007777')],
      }),
    ]);
    await sentinel(h, FRIENDS[0]!);
    expect(sentTo(h.socket(), GROUP)).toEqual([]);

    h.socket().emitMessages([
      groupMessageFrom(GROUP, STRANGER, '@15550001111 what do you think?', {
        mentionedJid: [jidOf(OWN_NUMBER), jidOf('15550007777')],
      }),
    ]);
    await waitFor('the group reply', () => sentTo(h.socket(), GROUP).includes(NOT_CONFIGURED_TEXT));
    const mentioned = h.envelopes().find((e) => e.text.startsWith('@15550001111'))!;
    expect(mentioned).toMatchObject({
      chatKind: 'group',
      chatId: GROUP,
      senderId: `+${STRANGER}`,
      mentions: [OWNER, '+15550007777'],
      mentionsBot: true,
    });

    // Mentioned by LID (Baileys 7 groups), and a reply quoting one of our messages.
    h.socket().emitMessages([
      groupMessageFrom(other, STRANGER, 'hey you', { mentionedJid: ['246813579024680@lid'] }),
      groupMessageFrom(third, STRANGER, 'replying to the bot', {
        quotedParticipant: jidOf(OWN_NUMBER),
      }),
    ]);
    await waitFor('the LID-mention reply', () =>
      sentTo(h.socket(), other).includes(NOT_CONFIGURED_TEXT),
    );
    await waitFor('the quoted reply', () =>
      sentTo(h.socket(), third).includes(NOT_CONFIGURED_TEXT),
    );
    expect(OWN_LID.startsWith('246813579024680')).toBe(true);
  });

  it('takes text from captions and E.164 from LID-addressed DMs', async () => {
    const h = await connected();
    h.socket().emitMessages([
      imageFrom(FRIENDS[2]!, 'look at this'),
      lidDmFrom('111122223333444', FRIENDS[3]!, 'hello by lid'),
    ]);
    await waitFor(
      'both answered',
      () =>
        sentTo(h.socket(), jidOf(FRIENDS[2]!)).length === 1 &&
        sentTo(h.socket(), jidOf(FRIENDS[3]!)).length === 1,
    );
    // Two chats, handled side by side: either may reach the gateway first.
    expect(h.envelopes().map((e) => [e.senderId, e.text])).toEqual(
      expect.arrayContaining([
        [`+${FRIENDS[2]}`, 'look at this'],
        [`+${FRIENDS[3]}`, 'hello by lid'],
      ]),
    );
    expect(h.envelopes()).toHaveLength(2);
  });

  it('a chat whose send hangs holds up only itself, and stop still returns', async () => {
    const h = await connected();
    // Stopped here, within a bound: the shared afterEach would wait forever on a hung stop.
    running.splice(running.indexOf(h), 1);
    let stopping: Promise<string> | null = null;
    const stopWithin = (ms: number): Promise<string> => {
      stopping ??= h.services.stop().then(() => 'stopped');
      let timer: NodeJS.Timeout | undefined;
      return Promise.race([
        stopping,
        new Promise<string>((resolve) => (timer = setTimeout(() => resolve('still waiting'), ms))),
      ]).finally(() => clearTimeout(timer));
    };
    try {
      const [stuck, other, third, fourth] = [FRIENDS[0]!, FRIENDS[1]!, FRIENDS[2]!, FRIENDS[3]!];
      h.socket().hangingChats.add(jidOf(stuck));
      // One upsert with two chats, the stuck one first, then another chat's upsert on its own.
      h.socket().emitMessages([dmFrom(stuck, 'first'), dmFrom(other, 'are you there?')]);
      await waitFor('the send that hangs', () => sentTo(h.socket(), jidOf(stuck)).length === 1);
      h.socket().emitMessages([dmFrom(third, 'hello?')]);
      await waitFor(
        'the other chats answered',
        () =>
          sentTo(h.socket(), jidOf(other)).includes(NOT_CONFIGURED_TEXT) &&
          sentTo(h.socket(), jidOf(third)).includes(NOT_CONFIGURED_TEXT),
        5_000,
      );
      // The stuck chat keeps its order: its next message is recorded, and waits behind the hung
      // send. A fresh chat's round trip gives 'second' ample time to be handled, were it free to.
      h.socket().emitMessages([dmFrom(stuck, 'second')]);
      await waitFor('second taken', () => h.envelopes().some((e) => e.text === 'second'));
      h.socket().emitMessages([dmFrom(fourth, 'anyone?')]);
      await waitFor('a fourth chat answered', () => sentTo(h.socket(), jidOf(fourth)).length > 0);
      expect(sentTo(h.socket(), jidOf(stuck))).toHaveLength(1);
      expect(h.envelopes().filter((e) => e.text === 'second')).toHaveLength(1);

      // Stopping waits a bounded time for the stuck turn, then goes on without it: the reply that
      // hung and the message behind it stay stored for the next start.
      expect(await stopWithin(5_000)).toBe('stopped');
      const inbox = h.db.prepare('SELECT envelope, state FROM inbox').all() as {
        envelope: string;
        state: string;
      }[];
      const stateOf = (text: string) =>
        inbox.find((r) => (JSON.parse(r.envelope) as Envelope).text === text)?.state;
      expect(stateOf('second')).toBe('received');
      expect(
        h.db
          .prepare('SELECT text FROM outbox WHERE recipient_id = ? AND sent_at IS NULL')
          .all(`+${stuck}`),
      ).toEqual([{ text: NOT_CONFIGURED_TEXT }]);
      expect(sentTo(h.socket(), jidOf(stuck))).toHaveLength(1);
    } finally {
      await stopWithin(5_000);
      h.db.close();
    }
  });

  it('typing shows composing until stopped; sends to groups go to the group jid', async () => {
    const h = await connected();
    const runtime = h.services.providers.runtime('whatsapp')!;
    const stop = runtime.typing(`+${FRIENDS[0]}`);
    expect(h.socket().presences).toEqual([{ type: 'composing', jid: jidOf(FRIENDS[0]!) }]);
    stop();
    stop();
    expect(h.socket().presences).toEqual([
      { type: 'composing', jid: jidOf(FRIENDS[0]!) },
      { type: 'paused', jid: jidOf(FRIENDS[0]!) },
    ]);
    await runtime.send(GROUP, 'hello group');
    expect(sentTo(h.socket(), GROUP)).toEqual(['hello group']);
  });
});

describe('WhatsApp pieces', () => {
  const me = { id: OWN_JID, lid: OWN_LID };
  const context = (extra: Partial<ConversionContext> = {}): ConversionContext => ({
    upsertType: 'notify',
    me,
    connectedAt: Date.now(),
    sentByUs: () => false,
    now: Date.now,
    ...extra,
  });

  it('maps chat ids to jids', () => {
    expect(chatIdToJid('+15550002222')).toBe('15550002222@s.whatsapp.net');
    expect(chatIdToJid(GROUP)).toBe(GROUP);
    expect(() => chatIdToJid('+')).toThrow();
  });

  it('resolves a LID-only sender through the LID store, or keeps the LID', async () => {
    const message = dmFrom('0', 'hi');
    message.key = { remoteJid: '99998888777@lid', fromMe: false, id: 'X1' };
    const resolved = await messageToEnvelope(
      message,
      context({ pnForLid: () => Promise.resolve('15550005555:2@s.whatsapp.net') }),
    );
    expect(resolved).toMatchObject({
      envelope: { senderId: '+15550005555', chatId: '+15550005555' },
    });
    const unresolved = await messageToEnvelope(message, context());
    expect(unresolved).toMatchObject({ envelope: { senderId: '99998888777@lid' } });
  });

  it('messages before the connection opened are history; protocol messages are ignored', async () => {
    expect(
      await messageToEnvelope(dmFrom(STRANGER, 'early'), context({ connectedAt: null })),
    ).toMatchObject({
      envelope: { isHistory: true },
    });
    const protocol = dmFrom(STRANGER, '');
    protocol.message = { protocolMessage: { type: 0 } };
    expect(await messageToEnvelope(protocol, context())).toEqual({ ignored: 'no-text' });
  });

  it('backs off 1, 2, 5, 10, 30 s (capped), and starts over after a stable connection', () => {
    let now = 0;
    const backoff = new ReconnectBackoff(RECONNECT_DELAYS_MS, 60_000, () => now);
    expect([1, 2, 3, 4, 5, 6].map(() => backoff.nextDelay())).toEqual([
      1000, 2000, 5000, 10000, 30000, 30000,
    ]);
    backoff.opened();
    now += 5_000;
    expect(backoff.nextDelay()).toBe(30000);
    backoff.opened();
    now += 60_000;
    expect(backoff.nextDelay()).toBe(1000);
  });

  it('Baileys’ own log calls pass on message text only, never their objects', () => {
    const lines: string[] = [];
    const logger = baileysLogger(
      createLogger({ process: 'gateway', level: 'debug', write: (l) => lines.push(l) }),
    );
    const secret = { creds: { noiseKey: { private: 'SECRET-KEY-MATERIAL' } } };
    logger.info(secret, 'pairing configured successfully');
    logger.warn(secret, 'error in sending presence update');
    logger.error(secret);
    logger.child({ class: 'socket' }).error(secret, 'unexpected error');
    expect(lines.join('\n')).not.toContain('SECRET-KEY-MATERIAL');
    expect(lines.map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual([
      'baileys: error in sending presence update',
      'baileys: baileys reported a problem',
      'baileys: unexpected error',
    ]);
  });

  it('the socket module seam swaps only the socket', async () => {
    const stateDir = stateDirs();
    const reports: ProviderReport[] = [];
    const host: ProviderHost = {
      inbound: () => Promise.resolve(),
      report: (update) => reports.push(update),
      log: silentLogger,
      stateDir,
    };
    const before = createdSockets.length;
    const runtime = createWhatsAppProviderFactory({
      env: { [SOCKET_MODULE_ENV]: join(fixturesDir, 'baileys-socket-double.ts'), NODE_ENV: 'test' },
    })(defaultConfig, host);
    if ('disabled' in runtime) throw new Error(runtime.disabled);
    await runtime.start();
    try {
      await waitFor('a socket from the module', () => createdSockets.length === before + 1);
      createdSockets.at(-1)!.emitQr('2@from-the-module');
      expect(reports).toContainEqual({ state: 'qr', qr: '2@from-the-module' });
    } finally {
      await runtime.stop();
    }
  });

  /** Starts the real provider with `env`; resolves with what it reported once it stopped itself. */
  async function startWithEnv(env: NodeJS.ProcessEnv): Promise<ProviderReport[]> {
    const reports: ProviderReport[] = [];
    const runtime = createWhatsAppProviderFactory({ env })(defaultConfig, {
      inbound: () => Promise.resolve(),
      report: (update) => reports.push(update),
      log: silentLogger,
      stateDir: stateDirs(),
    });
    if ('disabled' in runtime) throw new Error(runtime.disabled);
    // start() settles only after loading the module (or refusing to): the reports are final.
    await runtime.start();
    return reports;
  }

  it('a socket module without makeWASocket is an error state, not a throw', async () => {
    const reports = await startWithEnv({
      [SOCKET_MODULE_ENV]: join(fixturesDir, 'gated-model.ts'),
      NODE_ENV: 'test',
    });
    expect(reports).toEqual([
      {
        state: 'error',
        lastError: expect.stringContaining('does not export a makeWASocket') as string,
      },
    ]);
  });

  it('refuses, and never loads, a socket module outside the test fixtures', async () => {
    // A module that would run any code it likes: it leaves a mark if it is ever imported.
    const dir = mkdtempSync(join(tmpdir(), 'clawdbot-socket-module-'));
    const mark = join(dir, 'imported');
    const planted = join(dir, 'planted.mjs');
    writeFileSync(
      planted,
      `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(mark)}, 'ran');\n` +
        'export function makeWASocket() { throw new Error("planted"); }\n',
    );
    try {
      for (const modulePath of [
        planted,
        // Spelled as if it were a fixture: what counts is where it resolves.
        join(fixturesDir, '..', 'helpers', 'wait.ts'),
      ]) {
        const reports = await startWithEnv({ [SOCKET_MODULE_ENV]: modulePath, NODE_ENV: 'test' });
        expect(reports).toEqual([
          {
            state: 'error',
            lastError: expect.stringMatching(
              /CLAWDBOT_WHATSAPP_SOCKET_MODULE .*refused: only a module under the repository's test\/fixtures/,
            ) as string,
          },
        ]);
      }
      expect(existsSync(mark)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses the socket double itself outside a test run (NODE_ENV is not test)', async () => {
    const before = createdSockets.length;
    for (const NODE_ENV of [undefined, 'production', 'development']) {
      const reports = await startWithEnv({
        [SOCKET_MODULE_ENV]: join(fixturesDir, 'baileys-socket-double.ts'),
        ...(NODE_ENV ? { NODE_ENV } : {}),
      });
      expect(reports).toEqual([
        {
          state: 'error',
          lastError: expect.stringMatching(
            /CLAWDBOT_WHATSAPP_SOCKET_MODULE .*refused: .*only in the test suite \(NODE_ENV=test\)/,
          ) as string,
        },
      ]);
    }
    expect(createdSockets.length).toBe(before);
  });

  it('the built gateway, run outside the test suite, refuses the socket module and says why', async () => {
    const stateDir = stateDirs();
    const logDir = join(stateDir, '..', 'logs');
    writeConfig(stateDir, { whatsapp: { enabled: true } });
    const gateway = startCli(['gateway', 'run'], {
      CLAWDBOT_STATE_DIR: stateDir,
      CLAWDBOT_CONFIG_PATH: '',
      CLAWDBOT_LOG_FILE: join(logDir, 'clawdbot-YYYY-MM-DD.log'),
      DOCKER_HOST: NO_DOCKER_HOST,
      TELEGRAM_BOT_TOKEN: '',
      NODE_ENV: 'production',
      [SOCKET_MODULE_ENV]: join(fixturesDir, 'whatsapp-socket-e2e.mjs'),
    });
    try {
      const line = await waitFor('the refusal in the log', () =>
        readLogRecords(logDir).find((r) => r['msg'] === 'whatsapp could not start'),
      );
      expect(String(line['error'])).toMatch(
        /CLAWDBOT_WHATSAPP_SOCKET_MODULE .*refused: .*only in the test suite \(NODE_ENV=test\)/,
      );
    } finally {
      await gateway.stop();
    }
  });
});

describe('clawdbot whatsapp login (runWhatsAppLogin)', () => {
  it('shows each QR, links, and then finds the link already there', async () => {
    const stateDir = stateDirs();
    const sockets: BaileysSocketDouble[] = [];
    const makeSocket = (config: ConstructorParameters<typeof BaileysSocketDouble>[0]) => {
      const socket = new BaileysSocketDouble(config);
      sockets.push(socket);
      return socket;
    };
    const shown: [string, number][] = [];
    const login = runWhatsAppLogin({
      stateDir,
      log: silentLogger,
      makeSocket,
      reconnectDelaysMs: [20],
      onQr: (qr, rotation) => void shown.push([qr, rotation]),
    });
    await waitFor('a socket', () => sockets.length === 1);
    sockets[0]!.emitQr('2@one');
    sockets[0]!.emitQr('2@two');
    sockets[0]!.completeLink();
    await waitFor('the socket after 515', () => sockets.length === 2);
    sockets[1]!.open();
    await expect(login).resolves.toEqual({
      outcome: 'linked',
      account: OWNER,
      alreadyLinked: false,
    });
    expect(shown).toEqual([
      ['2@one', 1],
      ['2@two', 2],
    ]);
    expect(sockets[1]!.ended).toBe(true);
    expect(isWhatsAppLinked(stateDir)).toBe(true);

    const again = runWhatsAppLogin({
      stateDir,
      log: silentLogger,
      makeSocket,
      onQr: () => undefined,
    });
    await waitFor('a third socket', () => sockets.length === 3);
    sockets[2]!.open();
    await expect(again).resolves.toMatchObject({ outcome: 'linked', alreadyLinked: true });
  });

  it('Ctrl-C cancels', async () => {
    const controller = new AbortController();
    const sockets: BaileysSocketDouble[] = [];
    const login = runWhatsAppLogin({
      stateDir: stateDirs(),
      log: silentLogger,
      makeSocket: (config) => {
        const socket = new BaileysSocketDouble(config);
        sockets.push(socket);
        return socket;
      },
      signal: controller.signal,
      onQr: () => undefined,
    });
    await waitFor('a socket', () => sockets.length === 1);
    controller.abort();
    await expect(login).resolves.toEqual({ outcome: 'cancelled' });
    expect(sockets[0]!.ended).toBe(true);
  });
});
