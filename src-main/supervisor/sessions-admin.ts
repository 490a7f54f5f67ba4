import type { Database } from 'better-sqlite3';
import type Docker from 'dockerode';
import { AppError } from '../../src-shared/domain/app-error.js';
import {
  MAX_UI_FILE_BYTES,
  SandboxSummarySchema,
  type SandboxFile,
  type SandboxList,
} from '../../src-shared/domain/sandbox.js';
import { WorkspacePathError } from '../sandbox/sandbox-errors.js';
import type { SessionSummary, TranscriptEvent } from '../../src-shared/domain/transcript.js';
import type { RecentSession } from '../../src-shared/domain/session-activity.js';
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

  /**
   * The `limit` most recently active sessions, each with its newest event (one indexed read per
   * session), for the dashboard: never the whole list, however many sessions there are.
   */
  recent(limit: number): RecentSession[] {
    return this.sessions.recent(limit).map((session) => ({
      session: sessionSummary(session),
      last:
        this.sessions.events(session.key, { beforeId: Number.MAX_SAFE_INTEGER, limit: 1 })[0] ??
        null,
    }));
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

  async sandboxes(detail = true): Promise<SandboxList> {
    const manager = await this.sandboxManager();
    try {
      const list = await manager.list(detail ? {} : { usage: false, runtime: false });
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

  /**
   * One file of a sandbox's workspace for the Sandboxes view: its text, or null text when it is
   * not UTF-8 (binary files are not shown). A path outside the workspace, a link or a missing
   * file is bad input naming it; a file over {@link MAX_UI_FILE_BYTES} is refused with its size.
   */
  async readSandboxFile(name: string, path: string): Promise<SandboxFile> {
    const manager = await this.sandboxManager();
    let content: Buffer | null;
    try {
      content = await manager.readSandboxFile(name, path, MAX_UI_FILE_BYTES);
    } catch (error) {
      if (error instanceof WorkspacePathError) throw new AppError('BAD_INPUT', error.message);
      throw new AppError('UNAVAILABLE', describeError(error));
    }
    if (content === null) throw new AppError('NOT_FOUND', `no sandbox container named ${name}`);
    return { name, path, bytes: content.length, text: utf8Text(content) };
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

/** The text of a file, or null when it is not UTF-8 text (invalid bytes, or NUL). */
function utf8Text(content: Buffer): string | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    return text.includes('\0') ? null : text;
  } catch {
    return null;
  }
}
