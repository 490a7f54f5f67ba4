import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import type { Update } from 'grammy/types';
import { afterEach } from 'vitest';
import type { ConfigInput } from '../../src-shared/config/schema.js';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';
import { composeGateway, type Gateway } from '../../src-main/gateway/gateway-composition.js';
import type { ProviderFactory } from '../../src-main/gateway/providers/provider-runtime.js';
import { createTelegramProvider } from '../../src-main/gateway/providers/telegram/telegram-provider.js';
import { createWhatsAppProviderFactory } from '../../src-main/gateway/providers/whatsapp/whatsapp-provider.js';
import { createLogger } from '../../src-main/logging/logger.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { BaileysSocketDouble } from '../fixtures/baileys-socket-double.js';
import { FakeTelegramApi } from '../fixtures/fake-telegram-api.js';
import { answerTo, startGatedModel, type GatedModel } from '../fixtures/gated-model.js';
import { writeConfig } from './gateway-harness.js';
import { waitFor } from './wait.js';

/** The Telegram user id of durability-test sender `k` (all of them allowed). */
export const senderId = (k: number): number => 7_000 + k;

/** The marker of sender `k`'s message `m` (1-based): what the gated model answers about. */
export const marker = (k: number, m: number): string => `s${k}-m${m}`;

/** A DM from sender `k` carrying message `m`'s marker, dated now (or `ageMs` ago). */
export function markedDm(
  api: FakeTelegramApi,
  k: number,
  m: number,
  ageMs = 0,
): Omit<Update, 'update_id'> {
  const id = senderId(k);
  return {
    message: {
      message_id: api.messageId(),
      date: Math.floor((Date.now() - ageMs) / 1000),
      chat: { id, type: 'private', first_name: `Sender ${k}` },
      from: { id, is_bot: false, first_name: `Sender ${k}` },
      text: `${marker(k, m)}: please answer this one`,
    },
  };
}

/** A fake Bot API, a gated model and a state directory whose config allows `senders` senders. */
export interface DurableChat {
  api: FakeTelegramApi;
  model: GatedModel;
  root: string;
  stateDir: string;
  /** The environment a gateway child (or a supervisor) runs with. */
  env: NodeJS.ProcessEnv;
  /** Whether sender `k` got the answers to messages `from`…`to`, each at least once. */
  answered(k: number, from: number, to: number): boolean;
}

/** Sets up durability scenarios for a test file and tears them down after each test. */
export function useDurableChats(): (options: {
  senders: number;
  hold: (marker: string) => boolean;
  config?: ConfigInput;
}) => Promise<DurableChat> {
  const open: DurableChat[] = [];
  afterEach(async () => {
    for (const chat of open.splice(0)) {
      await chat.model.close();
      await chat.api.close();
      rmSync(chat.root, { recursive: true, force: true });
    }
  });
  return async ({ senders, hold, config = {} }) => {
    const api = await FakeTelegramApi.start({ username: 'durable_test_bot' });
    const model = await startGatedModel(hold);
    const root = mkdtempSync(join(tmpdir(), 'clawdbot-durable-'));
    const stateDir = join(root, 'state');
    mkdirSync(stateDir, { mode: 0o700 });
    writeConfig(stateDir, {
      ...config,
      telegram: {
        botToken: api.token,
        apiRoot: api.apiRoot,
        dmPolicy: 'allowlist',
        allowFrom: Array.from({ length: senders }, (_, k) => String(senderId(k))),
        ...config.telegram,
      },
      agent: { model: model.config, maxToolSteps: 0, ...config.agent },
    });
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      CLAWDBOT_CONFIG_PATH: '',
      CLAWDBOT_LOG_FILE: join(root, 'log-YYYY-MM-DD.log'),
    };
    delete env['OPENAI_API_KEY'];
    delete env['TELEGRAM_BOT_TOKEN'];
    const chat: DurableChat = {
      api,
      model,
      root,
      stateDir,
      env,
      answered: (k, from, to) => {
        const got = api.sentTo(String(senderId(k)));
        for (let m = from; m <= to; m++) if (!got.includes(answerTo(marker(k, m)))) return false;
        return true;
      },
    };
    open.push(chat);
    return chat;
  };
}

/**
 * Sends every sender one more message and waits for its answer. Each chat's replies go out in
 * order, so once a chat's sentinel is answered, whatever that chat was going to be sent before it
 * has been sent: a duplicate would show now, not later.
 */
export async function sendSentinels(chat: DurableChat, senders: number, m: number): Promise<void> {
  chat.api.pushUpdates(Array.from({ length: senders }, (_, k) => markedDm(chat.api, k, m)));
  await waitFor(
    'every sentinel answered',
    () => Array.from({ length: senders }, (_, k) => chat.answered(k, m, m)).every(Boolean),
    30_000,
  );
}

/** What sender `k` was sent, as the answers' markers (anything else verbatim). */
export function answersTo(chat: DurableChat, k: number): string[] {
  return chat.api
    .sentTo(String(senderId(k)))
    .map((text) => (text.startsWith('answer to ') ? text.slice('answer to '.length) : text));
}

/** The real gateway services in this process, on a durability scenario's state directory. */
export interface InProcessGateway {
  services: Gateway;
  db: Database;
  /** The gateway's log lines (JSON). */
  lines: string[];
  stop(): Promise<void>;
}

/** Which providers an in-process gateway runs (default: Telegram). */
export type GatewayFactories = Partial<Record<MessagingProvider, ProviderFactory>>;

/**
 * Starts in-process gateways for a test and stops them afterwards: `composeGateway` (the
 * composition the gateway child runs) on a state directory, so a test can stop one and start the
 * next on the same database.
 */
export function useInProcessGateways(): (
  stateDir: string,
  factories?: GatewayFactories,
) => Promise<InProcessGateway> {
  const open: InProcessGateway[] = [];
  afterEach(async () => {
    for (const gateway of open.splice(0)) await gateway.stop();
  });
  return async (stateDir, factories = { telegram: createTelegramProvider }) => {
    const db = openDatabase(stateDir);
    const lines: string[] = [];
    const services = composeGateway({
      db,
      stateDir,
      configPath: join(stateDir, 'clawdbot.json'),
      log: createLogger({ process: 'gateway', level: 'debug', write: (l) => lines.push(l) }),
      factories,
      events: {
        providers: () => undefined,
        console: () => undefined,
        sessionEvent: () => undefined,
      },
      env: { PATH: process.env['PATH'] },
    });
    await services.start();
    let stopped: Promise<void> | null = null;
    const gateway: InProcessGateway = {
      services,
      db,
      lines,
      stop: () =>
        (stopped ??= services.stop().then(() => {
          db.close();
        })),
    };
    open.push(gateway);
    return gateway;
  };
}

/** WhatsApp through its real provider with the Baileys socket double, connected. */
export async function connectedWhatsApp(
  start: (stateDir: string, factories: GatewayFactories) => Promise<InProcessGateway>,
  stateDir: string,
): Promise<{ gateway: InProcessGateway; socket: BaileysSocketDouble }> {
  const sockets: BaileysSocketDouble[] = [];
  const gateway = await start(stateDir, {
    whatsapp: createWhatsAppProviderFactory({
      makeSocket: (config) => {
        const socket = new BaileysSocketDouble(config);
        sockets.push(socket);
        return socket;
      },
      reconnectDelaysMs: [50],
    }),
  });
  await waitFor('a socket', () => sockets.length === 1);
  sockets[0]!.open();
  await waitFor('connected', () =>
    gateway.services.providers
      .list()
      .some((s) => s.provider === 'whatsapp' && s.state === 'connected'),
  );
  return { gateway, socket: sockets[0]! };
}
