import { randomUUID } from 'node:crypto';
import { AppError } from '../../src-shared/domain/app-error.js';
import {
  APPROVED_TEXT,
  MAX_FIRST_MESSAGE_LENGTH,
  MAX_PENDING_PER_PROVIDER,
  PAIRING_REJECT_MS,
  PAIRING_TTL_MS,
  PairingCodeSchema,
  type AccessActor,
  type FirstContact,
  type PairingApproval,
  type PairingRequest,
} from '../../src-shared/domain/access.js';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';
import type { AccessStore } from './access-store.js';
import { generatePairingCode, type RandomInt } from './pairing-code.js';

/** What happened when a stranger wrote under the `pairing` policy. */
export type StrangerOutcome =
  /** A new request: reply once with its code. */
  | { kind: 'created'; request: PairingRequest }
  /** They already have a pending request: no second reply. */
  | { kind: 'pending'; request: PairingRequest }
  /** The provider already has the maximum of pending requests: no reply at all. */
  | { kind: 'capped' }
  /** The owner rejected them less than an hour ago: no reply. */
  | { kind: 'rejected' }
  /** Approved by another process moments ago (before this one's cache caught up): let them in. */
  | { kind: 'approved' };

/** Options for the pairing service; tests pass a clock and a random source. */
export interface PairingServiceOptions {
  now?: () => number;
  random?: RandomInt;
  /** A new request was created (committed): the gateway tells the owner's chat. */
  onCreated?: (request: PairingRequest) => void;
}

/**
 * Pairing: the small, explicit handshake between a stranger and the owner. Every operation runs
 * in one immediate transaction, so the gateway, the CLI and the supervisor can all use it at
 * once without a lost update (two strangers cannot both take the third slot).
 */
export class PairingService {
  private readonly now: () => number;
  private readonly random: RandomInt | undefined;
  private readonly onCreated: ((request: PairingRequest) => void) | undefined;

  constructor(
    private readonly store: AccessStore,
    options: PairingServiceOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.random = options.random;
    this.onCreated = options.onCreated;
  }

  /**
   * A stranger wrote: create or refresh their request, or refuse to (cap, recent rejection). A
   * new request keeps their handle and first message (cut to a readable length) for the owner.
   */
  onStranger(
    provider: MessagingProvider,
    senderId: string,
    displayName: string | null,
    contact: FirstContact = {},
  ): StrangerOutcome {
    const outcome = this.store.db
      .transaction((): StrangerOutcome => {
        const now = this.now();
        this.prune(now);
        if (this.store.pairing.isRejected(provider, senderId, now)) return { kind: 'rejected' };
        if (this.store.allowlist.has(provider, 'dm', senderId)) return { kind: 'approved' };
        const existing = this.store.pairing.findBySender(provider, senderId);
        if (existing) {
          this.store.pairing.touch(existing.id, now);
          return { kind: 'pending', request: { ...existing, lastSeenAt: now } };
        }
        if (this.store.pairing.countPending(provider) >= MAX_PENDING_PER_PROVIDER) {
          return { kind: 'capped' };
        }
        const request: PairingRequest = {
          id: randomUUID(),
          provider,
          senderId,
          displayName,
          code: this.uniqueCode(),
          createdAt: now,
          lastSeenAt: now,
          expiresAt: now + PAIRING_TTL_MS,
          handle: contact.handle ?? null,
          firstMessage: firstMessageToKeep(contact.firstMessage),
        };
        this.store.pairing.insert(request);
        this.store.audit.record({
          at: now,
          provider,
          action: 'pairing-requested',
          subjectId: senderId,
          actor: 'gateway',
          detail: { code: request.code, displayName },
        });
        return { kind: 'created', request };
      })
      .immediate();
    if (outcome.kind === 'created') this.onCreated?.(outcome.request);
    return outcome;
  }

  /** Pending requests (expired ones are pruned first). */
  list(provider?: MessagingProvider): PairingRequest[] {
    return this.store.db
      .transaction(() => {
        this.prune(this.now());
        return this.store.pairing.list(provider);
      })
      .immediate();
  }

  /**
   * Approves a pending request by its code (any case): the sender joins the allowlist, and with
   * `notify` the running gateway tells them so.
   */
  approve(
    provider: MessagingProvider,
    code: string,
    options: { notify: boolean; actor: AccessActor },
  ): PairingApproval {
    const normalized = this.parseCode(code);
    return this.store.db
      .transaction((): PairingApproval => {
        const now = this.now();
        const request = this.pendingByCode(provider, normalized, now);
        this.store.allowlist.add({
          provider,
          kind: 'dm',
          id: request.senderId,
          displayName: request.displayName,
          at: now,
          by: options.actor,
        });
        this.store.pairing.delete(request.id);
        this.store.audit.record({
          at: now,
          provider,
          action: 'pairing-approved',
          subjectId: request.senderId,
          actor: options.actor,
          detail: { code: request.code, notify: options.notify },
        });
        if (options.notify)
          this.store.outbox.enqueue(
            { provider, recipientId: request.senderId, text: APPROVED_TEXT },
            now,
          );
        return { request, notified: options.notify };
      })
      .immediate();
  }

  /** Rejects a pending request; the sender is ignored for PAIRING_REJECT_MS, then may ask again. */
  reject(
    provider: MessagingProvider,
    code: string,
    options: { actor: AccessActor },
  ): PairingRequest {
    const normalized = this.parseCode(code);
    return this.store.db
      .transaction((): PairingRequest => {
        const now = this.now();
        const request = this.pendingByCode(provider, normalized, now);
        this.store.pairing.delete(request.id);
        this.store.pairing.rejectUntil(provider, request.senderId, now + PAIRING_REJECT_MS);
        this.store.audit.record({
          at: now,
          provider,
          action: 'pairing-rejected',
          subjectId: request.senderId,
          actor: options.actor,
          detail: { code: request.code },
        });
        return request;
      })
      .immediate();
  }

  private parseCode(code: string): string {
    const parsed = PairingCodeSchema.safeParse(code);
    if (!parsed.success) {
      throw new AppError(
        'BAD_INPUT',
        `invalid pairing code ${JSON.stringify(code)}: ${parsed.error.issues[0]?.message ?? 'malformed'}`,
      );
    }
    return parsed.data;
  }

  private pendingByCode(provider: MessagingProvider, code: string, now: number): PairingRequest {
    this.prune(now);
    const request = this.store.pairing.findByCode(provider, code);
    if (!request) {
      throw new AppError(
        'NOT_FOUND',
        `no pending ${provider} pairing request with code ${code} (requests expire after an hour; see \`clawdbot pairing list --provider ${provider}\`)`,
      );
    }
    return request;
  }

  private prune(now: number): void {
    for (const request of this.store.pairing.pruneExpired(now)) {
      this.store.audit.record({
        at: now,
        provider: request.provider,
        action: 'pairing-expired',
        subjectId: request.senderId,
        actor: 'gateway',
        detail: { code: request.code },
      });
    }
  }

  private uniqueCode(): string {
    for (;;) {
      const code = generatePairingCode(this.random);
      if (!this.store.pairing.codeInUse(code)) return code;
    }
  }
}

/** A first message as kept: null when empty, cut (with an ellipsis) when too long to read. */
function firstMessageToKeep(text: string | null | undefined): string | null {
  if (!text) return null;
  const chars = Array.from(text);
  // Cut by code points, so a surrogate pair is never split into a broken character.
  return chars.length > MAX_FIRST_MESSAGE_LENGTH
    ? `${chars.slice(0, MAX_FIRST_MESSAGE_LENGTH - 1).join('')}…`
    : text;
}
