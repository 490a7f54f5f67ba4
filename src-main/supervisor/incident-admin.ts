import type { Database, Statement } from 'better-sqlite3';
import type { SecurityPromptConfig } from '../../src-shared/config/agent-schema.js';
import {
  INCIDENT_LOG_AFTER,
  INCIDENT_LOG_BEFORE,
  INCIDENT_WINDOW_MS,
  MAX_INCIDENT_SESSIONS,
  type IncidentSecret,
  type IncidentSecretId,
  type IncidentSession,
  type SecurityPromptView,
} from '../../src-shared/domain/incident.js';
import type { KillSwitchState } from '../../src-shared/domain/kill-switch.js';
import type { ModelStatus } from '../../src-shared/domain/model-status.js';
import type { InvokeOutput } from '../../src-shared/ipc/contract.js';
import { loadConfigSync } from '../config/load-config.js';
import type { LogReader } from '../logs/log-reader.js';
import { createSessionsRepo, sessionSummary, type SessionsRepo } from '../store/sessions-repo.js';
import { createIncidentChecklist, type IncidentChecklist } from './incident-checklist.js';
import { readSecurityPrompt, saveSecurityPrompt } from './incident-prompt.js';
import { configuredSecrets } from '../secret-registry.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { dayStamp } from '../../src-shared/format/day-stamp.js';

/** What the incident page reads from; the supervisor owns each of these. */
export interface IncidentAdminOptions {
  db: Database;
  stateDir: string;
  configPath: string;
  /** The gateway's environment: where env-held secrets would be. */
  env: NodeJS.ProcessEnv;
  logs: Pick<LogReader, 'around' | 'query'>;
  killSwitch: () => KillSwitchState;
  model: () => ModelStatus;
  now?: () => number;
}

/** The `incident:get` reply. */
export type Incident = InvokeOutput<'incident:get'>;

/**
 * The seed's five incident steps on one page: what was stopped, the log around the moment,
 * the sessions of the hour before, the secrets to rotate (a checklist kept per incident), and
 * the security prompt. Read-only except for the ticks and the prompt.
 */
export class IncidentAdmin {
  private readonly sessions: SessionsRepo;
  private readonly checklist: IncidentChecklist;
  private readonly countInWindow: Statement<[number, number], { key: string; n: number }>;
  private readonly now: () => number;

  constructor(private readonly options: IncidentAdminOptions) {
    this.sessions = createSessionsRepo(options.db);
    this.checklist = createIncidentChecklist(options.db);
    this.countInWindow = options.db.prepare<[number, number], { key: string; n: number }>(
      `SELECT session_key AS key, COUNT(*) AS n FROM session_events
       WHERE at BETWEEN ? AND ? GROUP BY session_key`,
    );
    this.now = options.now ?? Date.now;
  }

  /** The incident in force: the engaged kill switch's moment, or (armed) now and id 0. */
  private moment(killSwitch: KillSwitchState): { id: number; at: number } {
    if (killSwitch.engaged && killSwitch.engagedAt !== null)
      return { id: killSwitch.engagedAt, at: killSwitch.engagedAt };
    return { id: 0, at: this.now() };
  }

  async get(webMode: boolean): Promise<Incident> {
    const killSwitch = this.options.killSwitch();
    const { id, at } = this.moment(killSwitch);
    const windowFrom = at - INCIDENT_WINDOW_MS;
    const active = this.activeSessions(windowFrom, at);
    return {
      id,
      at,
      engaged: killSwitch.engaged,
      windowFrom,
      windowTo: at,
      killSwitch,
      sessions: active.slice(0, MAX_INCIDENT_SESSIONS),
      sessionsTruncated: active.length > MAX_INCIDENT_SESSIONS,
      secrets: this.secrets(id, webMode),
      logs: await this.logsAround(at),
    };
  }

  check(incident: number, item: IncidentSecretId, checked: boolean, webMode: boolean) {
    this.checklist.set(incident, item, checked, this.now());
    return this.secrets(incident, webMode);
  }

  securityPrompt(): SecurityPromptView {
    return readSecurityPrompt(this.options.configPath);
  }

  saveSecurityPrompt(prompt: SecurityPromptConfig): SecurityPromptView {
    return saveSecurityPrompt(this.options.configPath, prompt);
  }

  private activeSessions(from: number, to: number): IncidentSession[] {
    const counts = new Map(this.countInWindow.all(from, to).map((row) => [row.key, row.n]));
    return this.sessions.activeBetween(from, to).map((s) => ({
      ...sessionSummary(s),
      eventsInWindow: counts.get(s.key) ?? 0,
    }));
  }

  private secrets(incident: number, webMode: boolean): IncidentSecret[] {
    const loaded = loadConfigSync(this.options.configPath);
    const ticks = this.checklist.ticks(incident);
    return configuredSecrets({
      stateDir: this.options.stateDir,
      configPath: this.options.configPath,
      config: loaded.ok ? loaded.config : null,
      env: this.options.env,
      model: this.options.model(),
      webMode,
    }).map((secret) => ({ ...secret, checkedAt: ticks.get(secret.id) ?? null }));
  }

  /** The lines just before and after `at` in that day's log; a missing file is an empty list. */
  private async logsAround(at: number): Promise<Incident['logs']> {
    const day = dayStamp(new Date(at));
    try {
      const { target } = await this.options.logs.around({
        day,
        time: new Date(at).toISOString(),
        limit: 1,
      });
      const offset = Math.max(0, target - INCIDENT_LOG_BEFORE);
      const page = await this.options.logs.query({
        day,
        offset,
        limit: target - offset + INCIDENT_LOG_AFTER,
      });
      return { day, target, lines: page.lines, error: null };
    } catch (error) {
      return {
        day,
        target: 0,
        lines: [],
        error: describeError(error),
      };
    }
  }
}
