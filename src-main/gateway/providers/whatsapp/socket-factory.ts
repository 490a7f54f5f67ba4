import { realpathSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
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
import { appRootPath } from '../../../paths.js';

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
 * user's setup sets it, and outside the test suite it is refused (see {@link loadSocketFactory}).
 */
export const SOCKET_MODULE_ENV = 'CLAWDBOT_WHATSAPP_SOCKET_MODULE';

/**
 * The socket factory to use: Baileys' `makeWASocket`, or, in the test suite only, the
 * `makeWASocket` of the module `CLAWDBOT_WHATSAPP_SOCKET_MODULE` names. Throws, naming the
 * variable and why, when that module is refused or is not a socket factory.
 */
export async function loadSocketFactory(
  env: NodeJS.ProcessEnv = process.env,
): Promise<WhatsAppSocketFactory> {
  const modulePath = env[SOCKET_MODULE_ENV]?.trim();
  if (!modulePath) return (config) => makeWASocket(config);
  const file = testSocketModule(modulePath, env);
  const loaded = (await import(pathToFileURL(file).href)) as { makeWASocket?: unknown };
  if (typeof loaded.makeWASocket !== 'function') {
    throw new Error(`${SOCKET_MODULE_ENV} (${modulePath}) does not export a makeWASocket function`);
  }
  return loaded.makeWASocket as WhatsAppSocketFactory;
}

/**
 * The real path of the socket module a test asked for, or a refusal. Loading a module an
 * environment variable names is running whatever code it names, in the process that holds the
 * WhatsApp link, the bot token and the model key; so the seam is closed unless two things hold:
 *
 * - `NODE_ENV` is `test`, which the test runner sets (and its children inherit). On its own that
 *   is no wall, since whoever can set one variable can set two;
 * - the module resolves (symlinks and `..` followed) to a file under this checkout's
 *   `test/fixtures/`: our own socket doubles, never a file someone planted elsewhere. A packaged
 *   app ships no `test/` at all, so there the seam cannot open whatever the environment says;
 *   and whoever can write into a checkout's `test/fixtures` can rewrite its `out/` as well.
 *
 * A build-time switch was the other choice, but the tests run the very build users run
 * (`npm run build`, then `clawdbot supervise`), so it would have had to be on there too.
 */
function testSocketModule(modulePath: string, env: NodeJS.ProcessEnv): string {
  const refuse = (why: string): Error =>
    new Error(`${SOCKET_MODULE_ENV} (${modulePath}) refused: ${why}`);
  if (env['NODE_ENV'] !== 'test') {
    throw refuse('a socket module is loaded only in the test suite (NODE_ENV=test)');
  }
  const fixtures = realPathOrNull(join(appRootPath(), 'test', 'fixtures'));
  const file = realPathOrNull(isAbsolute(modulePath) ? modulePath : resolve(modulePath));
  if (fixtures === null || file === null || !file.startsWith(`${fixtures}${sep}`)) {
    throw refuse("only a module under the repository's test/fixtures may replace the socket");
  }
  return file;
}

function realPathOrNull(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    // Missing (a packaged app has no test/ directory): nothing there can be loaded.
    return null;
  }
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
