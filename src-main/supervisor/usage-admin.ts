import type { Database } from 'better-sqlite3';
import type { Config } from '../../src-shared/config/schema.js';
import type { UsageReport } from '../../src-shared/domain/usage.js';
import { USAGE_RETENTION_DAYS, type UsageHistory } from '../../src-shared/domain/usage-history.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import type { Logger } from '../logging/logger.js';
import { createBlockedCountsRepo, type BlockedCountsRepo } from '../store/blocked-counts-repo.js';
import { readUsageHistory, type SenderLookup } from '../store/usage-history.js';
import {
  buildUsageReport,
  createUsageRepo,
  localDays,
  usageDay,
  type UsageRepo,
} from '../store/usage-repo.js';
import type { EventHub } from './event-hub.js';

/**
 * Today's model use for the status API and the dashboard. The gateway counts into SQLite; this
 * reads the counts back on each database change (and at midnight, when they reset, and when the
 * config's limits change) and pushes a new report when it differs from the last one pushed.
 */
export class UsageAdmin {
  private readonly repo: UsageRepo;
  private readonly blocked: BlockedCountsRepo;
  private last = '';
  private midnight: NodeJS.Timeout | null = null;

  constructor(
    db: Database,
    /** The config in force (the supervisor's ConfigService: the last good one while the file is invalid). */
    private readonly config: () => Config,
    private readonly events: EventHub,
    private readonly now: () => number,
    private readonly log?: Logger,
  ) {
    this.repo = createUsageRepo(db);
    this.blocked = createBlockedCountsRepo(db);
    this.prune();
    this.scheduleMidnight();
  }

  report(): UsageReport {
    const at = this.now();
    return buildUsageReport(this.repo.rows(usageDay(at).day), this.config().limits, at);
  }

  /** `days` local days of use up to today, per day, sender and session, against the limits. */
  history(days: number, lookup: SenderLookup): UsageHistory {
    return readUsageHistory(this.repo, this.config().limits, this.now(), days, lookup);
  }

  /**
   * Deletes the counts of days older than {@link USAGE_RETENTION_DAYS}: at start-up and each
   * midnight. The gateway's counts of blocked attempts are counts like these (one row per sender,
   * reason and hour, however many messages), so they are kept as long and deleted at the same
   * moments. A failure only leaves old rows for the next try; it must not stop the supervisor.
   */
  private prune(): void {
    const oldest = localDays(this.now(), USAGE_RETENTION_DAYS)[0];
    if (!oldest) return;
    try {
      this.repo.prune(oldest.day);
      this.blocked.prune(oldest.start);
    } catch (error) {
      this.log?.warn('deleting old usage counts failed', { error: describeError(error) });
    }
  }

  /** Pushes the report if it changed since the last push. */
  publish(): void {
    const report = this.report();
    const serialised = JSON.stringify(report);
    if (serialised === this.last) return;
    this.last = serialised;
    this.events.emit('usage:changed', report);
  }

  close(): void {
    if (this.midnight) clearTimeout(this.midnight);
    this.midnight = null;
  }

  private scheduleMidnight(): void {
    const at = this.now();
    // A second past midnight, so the new day has surely begun; at most a day, as timers allow.
    const wait = Math.min(usageDay(at).resetsAt - at + 1000, 24 * 60 * 60 * 1000);
    this.midnight = setTimeout(() => {
      this.prune();
      this.publish();
      this.scheduleMidnight();
    }, wait);
    this.midnight.unref();
  }
}
