import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  Browsers,
  makeCacheableSignalKeyStore,
  makeWASocket,
  type AuthenticationState,
  type BaileysEventEmitter,
  type Contact,
  type SocketConfig,
  type UserFacingSocketConfig,
  type WAPresence,
} from '@whiskeysockets/baileys';
import type { Logger } from '../../../logging/logger.js';

/**
 * The part of a Baileys socket (`WASocket`) the provider uses. Narrow on purpose: it is the
 * boundary a test double stands in for, and everything above it is the real provider.
 */
export interface WhatsAppSocket {
  readonly ev: Pick<BaileysEventEmitter, 'on' | 'off'>;
  /** Who we are once open: `id` is the phone-number jid (with device), `lid` the LID. */
  readonly user: Contact | undefined;
  sendMessage(
    jid: string,
    content: { text: string },
    options?: { messageId?: string },
  ): Promise<unknown>;
  sendPresenceUpdate(type: WAPresence, toJid?: string): Promise<void>;
  logout(msg?: string): Promise<void>;
  end(error: Error | undefined): Promise<void>;
  /** Baileys' LID ↔ phone-number store, when the socket has one. */
  readonly signalRepository?: { lidMapping: { getPNForLID(lid: string): Promise<string | null> } };
}

/** Makes a socket from Baileys' socket config: `makeWASocket`, or a test double. */
export type WhatsAppSocketFactory = (config: UserFacingSocketConfig) => WhatsAppSocket;

/**
 * The environment variable naming a module whose `makeWASocket` replaces Baileys' own.
 *
 * Why it exists: WhatsApp's servers cannot be reached from tests, so the end-to-end tests run the
 * real, built gateway with this pointing at a socket double. It swaps only the socket; the auth
 * state, the provider, the access pipeline and the supervisor above it stay real. Nothing in a
 * user's setup sets it.
 */
export const SOCKET_MODULE_ENV = 'CLAWDBOT_WHATSAPP_SOCKET_MODULE';

/**
 * The socket factory to use: `CLAWDBOT_WHATSAPP_SOCKET_MODULE`'s `makeWASocket` when set,
 * otherwise Baileys' `makeWASocket`.
 */
export async function loadSocketFactory(
  env: NodeJS.ProcessEnv = process.env,
): Promise<WhatsAppSocketFactory> {
  const modulePath = env[SOCKET_MODULE_ENV]?.trim();
  if (!modulePath) return (config) => makeWASocket(config);
  const url = pathToFileURL(isAbsolute(modulePath) ? modulePath : resolve(modulePath)).href;
  const loaded = (await import(url)) as { makeWASocket?: unknown };
  if (typeof loaded.makeWASocket !== 'function') {
    throw new Error(`${SOCKET_MODULE_ENV} (${modulePath}) does not export a makeWASocket function`);
  }
  return loaded.makeWASocket as WhatsAppSocketFactory;
}

/** Baileys' logger interface (pino's shape). */
export type BaileysLogger = SocketConfig['logger'];

/**
 * A pino-shaped logger for Baileys that drops its chatter and passes on only the message text of
 * its warnings and errors. Baileys logs whole objects — stanzas, key material, credential
 * updates — so nothing but the text ever reaches our logs.
 */
export function baileysLogger(log: Logger): BaileysLogger {
  const text = (obj: unknown, msg?: string): string =>
    msg ?? (typeof obj === 'string' ? obj : 'baileys reported a problem');
  const logger: BaileysLogger = {
    level: 'warn',
    child: () => logger,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: (obj, msg) => log.debug(`baileys: ${text(obj, msg)}`),
    error: (obj, msg) => log.warn(`baileys: ${text(obj, msg)}`),
  };
  return logger;
}

/**
 * The socket config: our auth state (keys behind Baileys' cache), the silent logger, and the name
 * the phone shows under Linked devices. `markOnlineOnConnect: false` keeps the owner's phone
 * receiving notifications while the bot is connected.
 */
export function socketConfig(
  auth: AuthenticationState,
  logger: BaileysLogger,
): UserFacingSocketConfig {
  return {
    auth: { creds: auth.creds, keys: makeCacheableSignalKeyStore(auth.keys, logger) },
    logger,
    browser: Browsers.macOS('Clawdbot'),
    markOnlineOnConnect: false,
    syncFullHistory: false,
  };
}
