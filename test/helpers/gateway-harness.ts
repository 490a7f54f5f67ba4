import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, vi } from 'vitest';
import type { ConfigInput } from '../../src-shared/config/schema.js';
import type { Envelope } from '../../src-shared/domain/envelope.js';
import { composeGateway, type Gateway } from '../../src-main/gateway/gateway-composition.js';
import type { Delivery } from '../../src-main/gateway/inbound/delivery.js';
import { silentLogger } from '../../src-main/logging/logger.js';
import { openDatabase } from '../../src-main/store/open-database.js';

/**
 * The gateway as its composition root builds it, on a real state directory, with a recording
 * provider channel and a recording session step in place of the agent.
 */
export interface GatewayHarness {
  gateway: Gateway;
  db: Database;
  stateDir: string;
  /** Every text the gateway sent, per chat id. */
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

/**
 * Opens harnesses for a test and stops them afterwards. Not started unless asked: messages are
 * handled all the same, but nothing watches the database or picks up an earlier run's messages.
 */
export function useGatewayHarness(): (
  stateDir: string,
  options?: { now?: () => number; start?: boolean },
) => GatewayHarness {
  const open: GatewayHarness[] = [];
  afterEach(async () => {
    for (const h of open.splice(0)) {
      await h.gateway.stop();
      h.db.close();
    }
  });
  return (stateDir, options = {}) => {
    const db = openDatabase(stateDir);
    const sent: GatewayHarness['sent'] = [];
    const deliver = vi.fn<(delivery: Delivery) => void>();
    const gateway = composeGateway({
      db,
      stateDir,
      configPath: join(stateDir, 'clawdbot.json'),
      log: silentLogger,
      sessions: { deliver },
      now: options.now,
      watchIntervalMs: 20,
    });
    if (options.start) void gateway.start();
    for (const provider of ['telegram', 'whatsapp'] as const) {
      gateway.outbound.registerChannel({
        provider,
        send: (chatId, text) => Promise.resolve(void sent.push({ chatId, text })),
      });
    }
    const harness = { gateway, db, stateDir, sent, deliver };
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
