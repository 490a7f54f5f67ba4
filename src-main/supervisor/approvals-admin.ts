import type { Database } from 'better-sqlite3';
import type { Config } from '../../src-shared/config/schema.js';
import {
  APPROVALS_HISTORY_DAYS,
  type ApprovalChoice,
  type ApprovalRequest,
  type ApprovalsOverview,
  type DecisionSurface,
} from '../../src-shared/domain/approvals.js';
import type { AllowEntry } from '../../src-shared/config/approvals-schema.js';
import { addAllowEntry, removeAllowEntry } from '../approvals/allowlist-file.js';
import { decideApproval, type EditedEntry } from '../approvals/decide-approval.js';
import type { Logger } from '../logging/logger.js';
import { createApprovalsRepo, type ApprovalsRepo } from '../store/approvals-repo.js';
import type { EventHub } from './event-hub.js';

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Exec approvals for the desktop, the tray and the web UI: the gateway stores requests in
 * SQLite; this reads them back on each database change, pushes `approvals:changed` when they
 * differ, and records the owner's decisions and allowlist edits (the first answer wins).
 */
export class ApprovalsAdmin {
  private readonly repo: ApprovalsRepo;
  private last = '';
  private readonly listeners = new Set<(overview: ApprovalsOverview) => void>();

  constructor(
    db: Database,
    private readonly config: () => Config,
    private readonly configPath: string,
    private readonly events: EventHub,
    private readonly now: () => number,
    log: Logger,
  ) {
    this.repo = createApprovalsRepo(db, log);
  }

  overview(): ApprovalsOverview {
    const { approvals } = this.config().agent;
    return {
      pending: this.repo.pending(),
      history: this.repo.history(this.now() - APPROVALS_HISTORY_DAYS * DAY_MS),
      allowlist: approvals.allowlist,
      policy: {
        host: approvals.host,
        sandbox: approvals.sandbox,
        timeoutSec: approvals.timeoutSec,
      },
    };
  }

  /** The pending requests (the tray's count and list). */
  pending(): ApprovalRequest[] {
    return this.repo.pending();
  }

  /** Calls `listener` with every overview pushed (the tray, the desktop notifier). */
  onChange(listener: (overview: ApprovalsOverview) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Pushes the overview if it changed since the last push. */
  publish(): void {
    const overview = this.overview();
    const serialised = JSON.stringify(overview);
    if (serialised === this.last) return;
    this.last = serialised;
    this.events.emit('approvals:changed', overview);
    for (const listener of this.listeners) listener(overview);
  }

  decide(
    id: string,
    choice: ApprovalChoice,
    via: DecisionSurface,
    edited?: EditedEntry,
  ): ApprovalRequest {
    const result = decideApproval(
      id,
      choice,
      { repo: this.repo, configPath: this.configPath, by: `owner (${via})`, via, now: this.now() },
      edited,
    );
    if (!result.ok) throw new Error(result.error);
    this.publish();
    if (result.allowlistError) {
      throw new Error(`allowed once, but not added to the allowlist: ${result.allowlistError}`);
    }
    return result.request;
  }

  addEntry(
    entry: Pick<AllowEntry, 'command' | 'match' | 'where'>,
    via: DecisionSurface,
  ): AllowEntry[] {
    const result = addAllowEntry(this.configPath, { ...entry, addedBy: via, addedAt: this.now() });
    if (!result.ok) throw new Error(result.error);
    return result.allowlist;
  }

  removeEntry(entry: Pick<AllowEntry, 'command' | 'match' | 'where'>): AllowEntry[] {
    const result = removeAllowEntry(this.configPath, entry);
    if (!result.ok) throw new Error(result.error);
    return result.allowlist;
  }
}
