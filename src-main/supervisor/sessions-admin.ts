import type { Database } from 'better-sqlite3';
import type Docker from 'dockerode';
import { AppError } from '../../src-shared/domain/app-error.js';
import { SandboxSummarySchema, type SandboxList } from '../../src-shared/domain/sandbox.js';
import type { SessionSummary, TranscriptEvent } from '../../src-shared/domain/transcript.js';
import type { Config } from '../../src-shared/config/schema.js';
import { createLogger } from '../logging/logger.js';
import { SandboxManager } from '../sandbox/sandbox-manager.js';
import { createSessionsRepo, sessionSummary, type SessionsRepo } from '../store/sessions-repo.js';
import type { EventHub } from './event-hub.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** Most events pushed to live views per database change; a burst beyond it is read in pages. */
const LIVE_BATCH = 2000;

/**
 * What the Sessions and Sandboxes views read. Transcripts come from SQLite, which the gateway
 * writes before it says anything, so every writer (a supervised gateway, a foreground one, the
 * CLI, this process) shows up live: each database change pushes the events not yet pushed.
 */
export class SessionsAdmin {
  private readonly sessions: SessionsRepo;
  private lastPushedId: number;

  constructor(
    db: Database,
    private readonly stateDir: string,
    /** The config in force (the supervisor's ConfigService: the last good one while the file is invalid). */
    private readonly config: () => Config,
    private readonly events: EventHub,
    private readonly docker: () => Docker | Promise<Docker>,
  ) {
    this.sessions = createSessionsRepo(db);
    const latest = db.prepare<[], { id: number | null }>(
      'SELECT MAX(id) AS id FROM session_events',
    );
    this.lastPushedId = latest.get()?.id ?? 0;
  }

  list(): SessionSummary[] {
    return this.sessions.list().map(sessionSummary);
  }

  page(
    key: string,
    page: { afterId?: number; beforeId?: number; limit: number },
  ): { events: TranscriptEvent[]; total: number } {
    const session = this.sessions.get(key);
    if (!session) throw new AppError('NOT_FOUND', `no session ${JSON.stringify(key)}`);
    // No cursor: the latest page, so a long transcript opens at its end.
    const cursor =
      page.afterId === undefined && page.beforeId === undefined
        ? { beforeId: Number.MAX_SAFE_INTEGER, limit: page.limit }
        : page;
    return { events: this.sessions.events(key, cursor), total: session.eventCount };
  }

  search(query: string, key: string | undefined, limit: number): TranscriptEvent[] {
    return this.sessions.search(query, { key, limit });
  }

  /** Pushes every event stored since the last push to live views (on each database change). */
  pushNew(): void {
    for (;;) {
      const batch = this.sessions.eventsSince(this.lastPushedId, LIVE_BATCH);
      for (const event of batch) this.events.emit('session:event', event);
      if (batch.length === 0) return;
      this.lastPushedId = batch[batch.length - 1]!.id;
      if (batch.length < LIVE_BATCH) return;
    }
  }

  async sandboxes(): Promise<SandboxList> {
    const manager = await this.sandboxManager();
    try {
      const list = await manager.list();
      return {
        // The host path of a workspace stays out of the renderer.
        sandboxes: list.map((info) => SandboxSummarySchema.parse(info)),
        dockerError: null,
      };
    } catch (error) {
      return { sandboxes: [], dockerError: describeError(error) };
    }
  }

  async stopSandbox(name: string): Promise<SandboxList> {
    const manager = await this.sandboxManager();
    const stopped = await manager.stop(name);
    if (!stopped) throw new AppError('NOT_FOUND', `no sandbox container named ${name}`);
    return this.sandboxes();
  }

  private async sandboxManager(): Promise<SandboxManager> {
    return new SandboxManager({
      stateDir: this.stateDir,
      config: this.config().agent.sandbox,
      docker: await this.docker(),
      // Listing and stopping never prune; a stray line goes to stderr, like the supervisor's own.
      log: createLogger({ process: 'supervisor', scope: 'sandbox' }),
    });
  }
}
