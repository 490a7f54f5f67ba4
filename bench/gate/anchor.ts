/**
 * The baseline of the decisions figures: the anchor's approach, whose stores were JSON files
 * read and parsed for every message.
 */
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PAIRING_TTL_MS } from '../../src-shared/domain/access.js';
import { normalizeForMentions } from '../../src-main/gateway/access/compiled-access.js';
import { PROVIDER, STRANGER_ID, approvedIds } from './fixtures.js';

interface AnchorPairing {
  version: 1;
  requests: { id: string; code: string; createdAt: string; lastSeenAt: string }[];
}

/**
 * The anchor's stores, as the seed names them: `credentials/telegram-allowFrom.json` with the
 * 1,000 approved ids and `credentials/telegram-pairing.json` with the stranger's pending request,
 * and the anchor's per-message checks over them.
 */
export class AnchorStores {
  private readonly allowFile: string;
  private readonly pairingFile: string;
  private readonly pairingTmp: string;

  /**
   * Writes the stores under `root`. Compact JSON: the smaller the file, the faster the
   * baseline, which is the conservative choice.
   */
  constructor(
    root: string,
    strangerCode: string,
    private readonly mentionPatterns: readonly RegExp[],
  ) {
    const dir = join(root, 'anchor', 'credentials');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.allowFile = join(dir, `${PROVIDER}-allowFrom.json`);
    this.pairingFile = join(dir, `${PROVIDER}-pairing.json`);
    this.pairingTmp = `${this.pairingFile}.${process.pid}.tmp`;
    const allow = JSON.stringify({ version: 1, allowFrom: approvedIds });
    writeFileSync(this.allowFile, allow, { mode: 0o600 });
    const now = new Date().toISOString();
    const request = { id: STRANGER_ID, code: strangerCode, createdAt: now, lastSeenAt: now };
    writeFileSync(
      this.pairingFile,
      JSON.stringify({ version: 1, requests: [{ ...request, meta: { name: 'Stranger' } }] }),
      { mode: 0o600 },
    );
  }

  /** Size of the allowFrom file in bytes, for the report. */
  allowBytes(): number {
    return statSync(this.allowFile).size;
  }

  /** Read + parse allowFrom.json, then `Array.includes`. */
  allowed(senderId: string): boolean {
    const file = JSON.parse(readFileSync(this.allowFile, 'utf8')) as { allowFrom: string[] };
    return file.allowFrom.includes(senderId);
  }

  /** The same with `fs.promises.readFile` (a diagnostic: slower, not the baseline). */
  async allowedAsync(senderId: string): Promise<boolean> {
    const file = JSON.parse(await readFile(this.allowFile, 'utf8')) as { allowFrom: string[] };
    return file.allowFrom.includes(senderId);
  }

  /** Read + parse pairing.json, drop expired requests, find the sender's. */
  pendingRequest(senderId: string, now: number) {
    const store = JSON.parse(readFileSync(this.pairingFile, 'utf8')) as AnchorPairing;
    store.requests = store.requests.filter((r) => Date.parse(r.createdAt) + PAIRING_TTL_MS > now);
    return { store, request: store.requests.find((r) => r.id === senderId) };
  }

  /** The pending check plus rewriting pairing.json atomically with the new lastSeenAt. */
  touchPending(senderId: string): boolean {
    if (this.allowed(senderId)) return false;
    const now = Date.now();
    const { store, request } = this.pendingRequest(senderId, now);
    if (!request) return false;
    request.lastSeenAt = new Date(now).toISOString();
    writeFileSync(this.pairingTmp, JSON.stringify(store), { mode: 0o600 });
    renameSync(this.pairingTmp, this.pairingFile);
    return true;
  }

  /** The very same mention check the pipeline does: normalise, then the compiled patterns. */
  mentioned(text: string): boolean {
    const normalized = normalizeForMentions(text);
    return this.mentionPatterns.some((p) => p.test(normalized));
  }
}
