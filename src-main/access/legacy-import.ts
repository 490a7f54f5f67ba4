import { existsSync, readFileSync } from 'node:fs';
import { z } from 'zod';
import { PAIRING_TTL_MS, PairingCodeSchema } from '../../src-shared/domain/access.js';
import {
  MESSAGING_PROVIDERS,
  normalizeId,
  type MessagingProvider,
} from '../../src-shared/domain/providers.js';
import { legacyStoreFile } from '../state-layout.js';
import type { AccessStore } from './access-store.js';
import { generatePairingCode } from './pairing-code.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

const LegacyAllowFromSchema = z.object({ version: z.literal(1), allowFrom: z.array(z.string()) });
const LegacyPairingSchema = z.object({
  version: z.literal(1),
  requests: z.array(
    z.object({
      id: z.string(),
      code: z.string(),
      createdAt: z.union([z.string(), z.number()]),
      lastSeenAt: z.union([z.string(), z.number()]).optional(),
      meta: z.record(z.string(), z.unknown()).optional(),
    }),
  ),
});

/** What one import pass did. */
export interface LegacyImportReport {
  imported: { file: string; entries: number }[];
  /** Files that exist but could not be read; they are retried on the next start. */
  errors: string[];
}

function toMillis(value: string | number): number {
  return typeof value === 'number' ? value : Date.parse(value);
}

function displayNameOf(meta: Record<string, unknown> | undefined): string | null {
  const name = meta?.['name'] ?? meta?.['displayName'] ?? meta?.['username'];
  return typeof name === 'string' && name.trim() !== '' ? name : null;
}

/**
 * Imports the reference implementation's JSON stores from `credentials/` once: approved senders
 * (`<provider>-allowFrom.json`) and pending requests (`<provider>-pairing.json`). Each imported
 * entry is recorded in the audit trail; each file is imported at most once.
 */
export function importLegacyStores(
  store: AccessStore,
  stateDir: string,
  now = Date.now(),
): LegacyImportReport {
  const report: LegacyImportReport = { imported: [], errors: [] };
  const alreadyImported = store.db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM legacy_imports WHERE file = ?',
  );
  const markImported = store.db.prepare(
    'INSERT INTO legacy_imports (file, imported_at, entries) VALUES (?, ?, ?)',
  );

  for (const provider of MESSAGING_PROVIDERS) {
    for (const kind of ['allowFrom', 'pairing'] as const) {
      const file = legacyStoreFile(stateDir, provider, kind);
      if (!existsSync(file) || alreadyImported.get(file)) continue;
      let entries: number;
      try {
        const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
        entries = store.db
          .transaction(() => {
            if (alreadyImported.get(file)) return -1;
            const count =
              kind === 'allowFrom'
                ? importAllowFrom(store, provider, raw, now)
                : importPairing(store, provider, raw, now);
            markImported.run(file, now, count);
            return count;
          })
          .immediate();
      } catch (error) {
        report.errors.push(
          `${file}: ${error instanceof z.ZodError ? 'not a version 1 store' : describeError(error)}`,
        );
        continue;
      }
      if (entries >= 0) report.imported.push({ file, entries });
    }
  }
  return report;
}

function importAllowFrom(
  store: AccessStore,
  provider: MessagingProvider,
  raw: unknown,
  now: number,
): number {
  const { allowFrom } = LegacyAllowFromSchema.parse(raw);
  let count = 0;
  for (const rawId of allowFrom) {
    const id = normalizeId(provider, rawId);
    // A wildcard was never a stored approval; importing one would open the bot to everyone.
    if (id === '*' || id === '') continue;
    if (
      store.allowlist.add({
        provider,
        kind: 'dm',
        id,
        displayName: null,
        at: now,
        by: 'legacy-import',
      })
    ) {
      store.audit.record({
        at: now,
        provider,
        action: 'legacy-imported',
        subjectId: id,
        actor: 'legacy-import',
        detail: { store: 'allowFrom' },
      });
      count++;
    }
  }
  return count;
}

function importPairing(
  store: AccessStore,
  provider: MessagingProvider,
  raw: unknown,
  now: number,
): number {
  const { requests } = LegacyPairingSchema.parse(raw);
  let count = 0;
  for (const legacy of requests) {
    const senderId = normalizeId(provider, legacy.id);
    const createdAt = toMillis(legacy.createdAt);
    if (!Number.isFinite(createdAt) || createdAt + PAIRING_TTL_MS <= now) continue;
    if (store.pairing.findBySender(provider, senderId)) continue;
    const parsedCode = PairingCodeSchema.safeParse(legacy.code);
    let code = parsedCode.success ? parsedCode.data : generatePairingCode();
    while (store.pairing.codeInUse(code)) code = generatePairingCode();
    const lastSeen = legacy.lastSeenAt === undefined ? createdAt : toMillis(legacy.lastSeenAt);
    store.pairing.insert(
      {
        id: `legacy-${provider}-${senderId}`,
        provider,
        senderId,
        displayName: displayNameOf(legacy.meta),
        code,
        createdAt,
        lastSeenAt: Number.isFinite(lastSeen) ? lastSeen : createdAt,
        expiresAt: createdAt + PAIRING_TTL_MS,
      },
      legacy.meta ?? {},
    );
    store.audit.record({
      at: now,
      provider,
      action: 'legacy-imported',
      subjectId: senderId,
      actor: 'legacy-import',
      detail: { store: 'pairing', code },
    });
    count++;
  }
  return count;
}
