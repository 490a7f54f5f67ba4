import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, vi } from 'vitest';
import type { ConfigInput } from '../../src-shared/config/schema.js';
import type { Envelope } from '../../src-shared/domain/envelope.js';
import { GatewayCore, type Delivery } from '../../src-main/gateway/gateway-core.js';
import { silentLogger } from '../../src-main/logging/logger.js';
import { openDatabase } from '../../src-main/store/open-database.js';

/** A gateway core on a real state directory, with a recording provider channel and session sink. */
export interface CoreHarness {
  core: GatewayCore;
  db: Database;
  stateDir: string;
  /** Every text the core sent, per chat id. */
  sent: { chatId: string; text: string }[];
  /** The session step: called only for delivered messages. */
  deliver: ReturnType<typeof vi.fn<(delivery: Delivery) => void>>;
}

/** Writes a config file into the state directory. */
export function writeConfig(stateDir: string, config: ConfigInput | string): void {
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(
    join(stateDir, 'clawdbot.json'),
    typeof config === 'string' ? config : JSON.stringify(config, null, 2),
  );
}

/** Opens harnesses for a test and stops them afterwards. */
export function useCoreHarness(): (
  stateDir: string,
  options?: { now?: () => number; start?: boolean },
) => CoreHarness {
  const open: CoreHarness[] = [];
  afterEach(() => {
    for (const h of open.splice(0)) {
      h.core.stop();
      h.db.close();
    }
  });
  return (stateDir, options = {}) => {
    const db = openDatabase(stateDir);
    const sent: CoreHarness['sent'] = [];
    const deliver = vi.fn<(delivery: Delivery) => void>();
    const core = new GatewayCore({
      db,
      stateDir,
      configPath: join(stateDir, 'clawdbot.json'),
      log: silentLogger,
      deliver,
      now: options.now,
      watchIntervalMs: 20,
    });
    if (options.start) core.start();
    for (const provider of ['telegram', 'whatsapp'] as const) {
      core.registerChannel({
        provider,
        send: (chatId, text) => Promise.resolve(void sent.push({ chatId, text })),
      });
    }
    const harness = { core, db, stateDir, sent, deliver };
    open.push(harness);
    return harness;
  };
}

/** A Telegram DM from `senderId`. */
export function dm(senderId: string, text = 'hello', extra: Partial<Envelope> = {}): Envelope {
  return {
    provider: 'telegram',
    chatKind: 'dm',
    chatId: senderId,
    senderId,
    text,
    mentions: [],
    mentionsBot: false,
    fromOwnerAccount: false,
    timestamp: Date.now(),
    isHistory: false,
    ...extra,
  };
}

/** A Telegram group message from `senderId` in `groupId`. */
export function groupMessage(
  groupId: string,
  senderId: string,
  text: string,
  extra: Partial<Envelope> = {},
): Envelope {
  return { ...dm(senderId, text), chatKind: 'group', chatId: groupId, ...extra };
}
