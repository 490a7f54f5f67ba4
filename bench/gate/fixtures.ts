/**
 * The world the gate is measured in: a state directory as the gateway would find it (config
 * file, migrated database, 1,000 approved Telegram senders) and the envelopes a provider hands
 * over.
 */
import type { Database } from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigInput } from '../../src-shared/config/schema.js';
import { createAccessStore, type AccessStore } from '../../src-main/access/access-store.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { resolveConfigPath } from '../../src-main/state-layout.js';

/** Approved senders in the allowlist (and ids in the anchor's allowFrom file). */
export const APPROVED = 1000;
/** Every envelope and store of this bench is Telegram's. */
export const PROVIDER = 'telegram' as const;
const OWNER_ID = '42';
/** The sender with a pending pairing request (case b). */
export const STRANGER_ID = '555000111';
const GROUP_ID = '-1001234567890';
/** Telegram user ids of the approved senders (numeric strings, like the real ones). */
export const approvedIds = Array.from({ length: APPROVED }, (_, i) =>
  String(100_000_000 + i * 7919),
);

/** Ten mention patterns, as `routing.groupChat.mentionPatterns` would list them. */
const MENTION_PATTERNS = [
  '@clawd\\b',
  '^clawd[,:]',
  '\\bhey,? clawd\\b',
  '@clawdbot\\b',
  '\\bclaude?bot\\b',
  '@assistant\\b',
  '\\bok,? lobster\\b',
  '^/ask\\b',
  '\\bmolty\\b',
  '@mybot\\b',
];
/** A group text that only the 10th pattern matches: the worst case for a match. */
export const TEXT_LAST_ONLY =
  'Could someone ask @mybot what the weather in Vienna is tomorrow? Thanks!';
/** A group text that no pattern matches: every pattern is tried. */
export const TEXT_NONE =
  'Could someone ask the lobster what the weather in Vienna is tomorrow? Thanks!';

const rawConfig: ConfigInput = {
  assistant: { name: 'Clawd' },
  owner: { telegram: [OWNER_ID] },
  telegram: {
    dmPolicy: 'pairing',
    allowFrom: [],
    groupPolicy: 'allowlist',
    groupAllowFrom: approvedIds,
    groups: { '*': { requireMention: true } },
  },
  routing: { groupChat: { mentionPatterns: MENTION_PATTERNS } },
};

/** A state dir as the gateway finds it, with its database open. */
export interface BenchState {
  stateDir: string;
  configPath: string;
  db: Database;
  store: AccessStore;
}

/** A state dir under `root` with the config file, a migrated database and 1,000 approved senders. */
export function createState(root: string): BenchState {
  const stateDir = join(root, 'state');
  const db = openDatabase(stateDir);
  const configPath = resolveConfigPath(stateDir, {});
  writeFileSync(configPath, JSON.stringify(rawConfig, null, 2));
  const store = createAccessStore(db);
  const at = Date.now();
  db.transaction(() => {
    for (const id of approvedIds)
      store.allowlist.add({ provider: PROVIDER, kind: 'dm', id, displayName: null, at, by: 'cli' });
  })();
  return { stateDir, configPath, db, store };
}

/** An envelope, raw (as a provider hands it to the gateway), from sender `i`. */
function envelopeRaw(
  chatKind: 'dm' | 'group',
  chatId: string,
  senderId: string,
  i: number,
  text: string,
): Record<string, unknown> {
  const senderName = `Friend ${i}`;
  return {
    provider: PROVIDER,
    chatKind,
    chatId,
    senderId,
    senderName,
    text,
    timestamp: Date.now(),
  };
}

/** A DM envelope, raw. */
export function dmRaw(senderId: string, i: number): Record<string, unknown> {
  return envelopeRaw('dm', senderId, senderId, i, 'hi! what is on my calendar today?');
}

/** A group-message envelope, raw. */
export function groupRaw(senderId: string, i: number, text: string): Record<string, unknown> {
  return envelopeRaw('group', GROUP_ID, senderId, i, text);
}
