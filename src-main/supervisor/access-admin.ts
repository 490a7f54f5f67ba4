import type { Database } from 'better-sqlite3';
import type { PairingApproval, PairingRequest } from '../../src-shared/domain/access.js';
import type { AllowlistOverview } from '../../src-shared/domain/allowlist-overview.js';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';
import type { AllowlistKind } from '../../src-shared/domain/access.js';
import { createAccessStore, type AccessStore } from '../access/access-store.js';
import { buildAllowlistOverview } from '../access/allowlist-overview.js';
import { AllowlistService } from '../access/allowlist-service.js';
import { importLegacyStores } from '../access/legacy-import.js';
import { PairingService } from '../access/pairing-service.js';
import type { ConfigService } from '../config/config-service.js';
import type { Logger } from '../logging/logger.js';
import type { EventHub } from './event-hub.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { AppError } from '../../src-shared/domain/app-error.js';
import { normalizeId } from '../../src-shared/domain/providers.js';

/**
 * The owner's side of access control in the supervisor: pending requests to approve or reject,
 * allowlists to review, and the config's health — each change published as a contract event.
 */
export class AccessAdmin {
  private readonly store: AccessStore;
  private readonly pairing: PairingService;
  private readonly allowlist: AllowlistService;
  private lastPairing = '';
  private lastOverview = '';
  private readonly abort = new AbortController();
  private expiryTimer: NodeJS.Timeout;

  constructor(
    db: Database,
    stateDir: string,
    /** The supervisor's config service (the config in force, the file's errors). */
    private readonly config: ConfigService,
    private readonly events: EventHub,
    private readonly log: Logger,
  ) {
    this.store = createAccessStore(db);
    importLegacyStores(this.store, stateDir);
    this.pairing = new PairingService(this.store);
    this.allowlist = new AllowlistService(this.store);
    this.config.onChange(() => this.publish(), this.abort.signal);
    this.lastPairing = JSON.stringify(this.pendingRequests());
    this.lastOverview = JSON.stringify(this.overview());
    // Requests expire on their own; prune and publish so the UI never shows a dead code.
    this.expiryTimer = setInterval(() => {
      try {
        this.publish();
      } catch (error) {
        this.log.error('pruning expired pairing requests failed', { error: describeError(error) });
      }
    }, 30_000);
    this.expiryTimer.unref();
  }

  pendingRequests(): PairingRequest[] {
    return this.pairing.list();
  }

  approve(provider: MessagingProvider, code: string, notify: boolean): PairingApproval {
    const approval = this.pairing.approve(provider, code, { notify, actor: 'ui' });
    this.publish();
    return approval;
  }

  reject(provider: MessagingProvider, code: string): PairingRequest {
    const request = this.pairing.reject(provider, code, { actor: 'ui' });
    this.publish();
    return request;
  }

  overview(): AllowlistOverview {
    return buildAllowlistOverview(
      this.config.current(),
      this.store.allowlist,
      this.store.notes.list(),
    );
  }

  removeEntry(provider: MessagingProvider, kind: AllowlistKind, id: string): AllowlistOverview {
    this.allowlist.remove(provider, kind, id, 'ui', this.config.current());
    this.store.notes.remove(
      provider,
      kind,
      normalizeId(provider, id, kind === 'group' ? 'group' : 'user'),
    );
    this.publish();
    return this.overview();
  }

  /** Adds a DM sender or a group by hand (from Settings), with the owner's label. */
  addEntry(
    provider: MessagingProvider,
    kind: AllowlistKind,
    rawId: string,
    label: string | null,
  ): AllowlistOverview {
    const id = normalizeId(provider, rawId, kind === 'group' ? 'group' : 'user');
    const now = Date.now();
    this.allowlist.add(provider, kind, rawId, 'ui');
    this.store.notes.origin(provider, kind, id, 'manual', now);
    if (label !== null) this.store.notes.label(provider, kind, id, label, now);
    this.publish();
    return this.overview();
  }

  /**
   * Labels an entry, approved or from the config file (an empty label clears it). An id on
   * no allowlist is refused, so a label never waits for someone who was never let in.
   */
  labelEntry(
    provider: MessagingProvider,
    kind: AllowlistKind,
    id: string,
    label: string,
  ): AllowlistOverview {
    const listed = this.overview()
      .providers.find((p) => p.provider === provider)
      ?.entries.some((e) => e.kind === kind && e.id === id);
    if (!listed) {
      throw new AppError(
        'NOT_FOUND',
        `${id} is not on the ${provider} ${kind === 'dm' ? 'DM' : 'group'} allowlist`,
      );
    }
    this.store.notes.label(
      provider,
      kind,
      id,
      label.trim() === '' ? null : label.trim(),
      Date.now(),
    );
    this.publish();
    return this.overview();
  }

  /** Re-reads what other processes may have changed and publishes what did. */
  publish(): void {
    const pending = this.pendingRequests();
    const pendingJson = JSON.stringify(pending);
    if (pendingJson !== this.lastPairing) {
      this.lastPairing = pendingJson;
      this.events.emit('pairing:changed', pending);
    }
    const overview = this.overview();
    const overviewJson = JSON.stringify(overview);
    if (overviewJson !== this.lastOverview) {
      this.lastOverview = overviewJson;
      this.events.emit('allowlist:changed', overview);
    }
  }

  close(): void {
    clearInterval(this.expiryTimer);
    this.abort.abort();
  }
}
