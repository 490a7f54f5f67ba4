import type { Database } from 'better-sqlite3';
import type {
  ApprovalOutcome,
  ApprovalRequest,
  DecisionSurface,
} from '../../src-shared/domain/approvals.js';
import type { SandboxEngineRef } from '../../src-shared/domain/sandbox-engine-ref.js';
import { noteLocalWrite } from './database-changes.js';

interface Row {
  id: string;
  session_key: string;
  command: string;
  location: 'host' | 'sandbox';
  /** TEXT columns, but SQLite keeps whatever was written: checked as they are read. */
  engine_endpoint: unknown;
  engine_runtime: unknown;
  cwd: string;
  sender_id: string;
  sender_name: string | null;
  provider: string;
  message: string;
  elevated: number;
  requested_at: number;
  expires_at: number;
  state: ApprovalRequest['state'];
  outcome: ApprovalOutcome | null;
  decided_by: string | null;
  decided_via: DecisionSurface | null;
  decided_at: number | null;
  prompts: string;
}

/** A message in the owner's chat that carries a request's buttons, to edit once it is decided. */
export interface ApprovalPrompt {
  provider: string;
  chatId: string;
  messageId: string;
}

/**
 * What a TEXT column holds instead of text: SQLite turns a number written there into text, but
 * keeps a blob as it is.
 */
function sqliteKind(value: unknown): string {
  return Buffer.isBuffer(value) ? 'a blob' : typeof value;
}

/**
 * The engine a request was asked for, from its two columns. Only a sandbox request has one; one
 * stored before it was recorded has none. `problem`: a record that is there but malformed, which
 * reads as not recorded too (never a made-up engine), but is worth a warning.
 */
function storedEngine(r: Row): { engine: SandboxEngineRef | null; problem?: string } {
  const { engine_endpoint: endpoint, engine_runtime: runtime } = r;
  if (r.location !== 'sandbox' || (endpoint === null && runtime === null)) return { engine: null };
  if (endpoint === null) {
    return { engine: null, problem: 'engine_runtime is set without engine_endpoint' };
  }
  if (typeof endpoint !== 'string') {
    return { engine: null, problem: `engine_endpoint holds ${sqliteKind(endpoint)}, not text` };
  }
  if (endpoint.trim() === '') return { engine: null, problem: 'engine_endpoint is empty' };
  if (runtime !== null && typeof runtime !== 'string') {
    return { engine: null, problem: `engine_runtime holds ${sqliteKind(runtime)}, not text` };
  }
  if (runtime?.trim() === '') return { engine: null, problem: 'engine_runtime is empty' };
  return { engine: { endpoint, runtime } };
}

const requestOf = (r: Row, engine: SandboxEngineRef | null): ApprovalRequest => ({
  id: r.id,
  sessionKey: r.session_key,
  command: r.command,
  where: r.location,
  engine,
  cwd: r.cwd,
  senderId: r.sender_id,
  senderName: r.sender_name,
  provider: r.provider,
  message: r.message,
  elevated: r.elevated === 1,
  requestedAt: r.requested_at,
  expiresAt: r.expires_at,
  state: r.state,
  outcome: r.outcome,
  decidedBy: r.decided_by,
  decidedVia: r.decided_via,
  decidedAt: r.decided_at,
});

/** A decision to record: who, where, when, and what. */
export interface ApprovalDecision {
  outcome: ApprovalOutcome;
  by: string;
  via: DecisionSurface;
  at: number;
}

/** What recording a decision did: the first answer wins, later ones learn what it was. */
export type DecideResult =
  | { kind: 'decided'; request: ApprovalRequest }
  | { kind: 'already'; request: ApprovalRequest }
  | { kind: 'unknown' };

/** Approval requests and their decisions: plain reads and writes, no policy. */
export interface ApprovalsRepo {
  insert(
    request: Omit<ApprovalRequest, 'state' | 'outcome' | 'decidedBy' | 'decidedVia' | 'decidedAt'>,
  ): void;
  get(id: string): ApprovalRequest | undefined;
  pending(): ApprovalRequest[];
  /** Decided requests since `since`, newest first. */
  history(since: number, limit?: number): ApprovalRequest[];
  /** Records the first decision on a pending request. */
  decide(id: string, decision: ApprovalDecision): DecideResult;
  /** Denies every pending request at once (the kill switch, a gateway start); returns them. */
  denyAllPending(decision: ApprovalDecision): ApprovalRequest[];
  addPrompt(id: string, prompt: ApprovalPrompt): void;
  prompts(id: string): ApprovalPrompt[];
  /** Deletes decided requests older than `before`. */
  prune(before: number): number;
}

const OUTCOME_STATE: Record<ApprovalOutcome, 'allowed' | 'denied'> = {
  once: 'allowed',
  always: 'allowed',
  deny: 'denied',
  timeout: 'denied',
  'kill-switch': 'denied',
  stopped: 'denied',
};

/**
 * Where a repository warns of a stored record it cannot read as written: the process's logger,
 * of which the store (a layer below logging) names only the method it calls.
 */
export interface StoreWarnings {
  warn(msg: string, fields: Record<string, unknown>): void;
}

/**
 * The approvals repository over the shared database. `log` hears of a request whose stored engine
 * record is malformed, once per request: the supervisor reads them all again on every database
 * change.
 */
export function createApprovalsRepo(db: Database, log: StoreWarnings): ApprovalsRepo {
  const warned = new Set<string>();
  const toRequest = (r: Row): ApprovalRequest => {
    const { engine, problem } = storedEngine(r);
    if (problem !== undefined && !warned.has(r.id)) {
      warned.add(r.id);
      log.warn('approval request has a malformed engine record; shown as not recorded', {
        approval: r.id,
        problem,
      });
    }
    return requestOf(r, engine);
  };
  const insert = db.prepare(
    `INSERT INTO approvals (id, session_key, command, location, engine_endpoint, engine_runtime, cwd,
       sender_id, sender_name, provider, message, elevated, requested_at, expires_at)
     VALUES (@id, @sessionKey, @command, @where, @engineEndpoint, @engineRuntime, @cwd, @senderId,
       @senderName, @provider, @message, @elevated, @requestedAt, @expiresAt)`,
  );
  const get = db.prepare<[string], Row>('SELECT * FROM approvals WHERE id = ?');
  const pending = db.prepare<[], Row>(
    "SELECT * FROM approvals WHERE state = 'pending' ORDER BY requested_at",
  );
  const history = db.prepare<[number, number], Row>(
    "SELECT * FROM approvals WHERE state != 'pending' AND requested_at >= ? ORDER BY requested_at DESC LIMIT ?",
  );
  const decide = db.prepare(
    `UPDATE approvals SET state = @state, outcome = @outcome, decided_by = @by, decided_via = @via,
       decided_at = @at WHERE id = @id AND state = 'pending'`,
  );
  const setPrompts = db.prepare('UPDATE approvals SET prompts = ? WHERE id = ?');
  const prune = db.prepare("DELETE FROM approvals WHERE state != 'pending' AND requested_at < ?");
  const decideOne = (id: string, d: ApprovalDecision): DecideResult => {
    const changed = decide.run({
      id,
      state: OUTCOME_STATE[d.outcome],
      outcome: d.outcome,
      by: d.by,
      via: d.via,
      at: d.at,
    }).changes;
    const row = get.get(id);
    if (!row) return { kind: 'unknown' };
    return { kind: changed === 1 ? 'decided' : 'already', request: toRequest(row) };
  };
  return {
    insert(request) {
      const { engine, ...rest } = request;
      // A host command runs on this computer: an engine given with one is not stored.
      const sandboxEngine = request.where === 'sandbox' ? engine : null;
      insert.run({
        ...rest,
        engineEndpoint: sandboxEngine?.endpoint ?? null,
        engineRuntime: sandboxEngine?.runtime ?? null,
        elevated: request.elevated ? 1 : 0,
      });
      noteLocalWrite(db);
    },
    get: (id) => {
      const row = get.get(id.trim().toLowerCase());
      return row ? toRequest(row) : undefined;
    },
    pending: () => pending.all().map(toRequest),
    history: (since, limit = 500) => history.all(since, limit).map(toRequest),
    decide(id, decision) {
      const result = decideOne(id.trim().toLowerCase(), decision);
      if (result.kind === 'decided') noteLocalWrite(db);
      return result;
    },
    denyAllPending(decision) {
      const denied = db.transaction(() =>
        pending
          .all()
          .map((row) => decideOne(row.id, decision))
          .flatMap((r) => (r.kind === 'decided' ? [r.request] : [])),
      )();
      if (denied.length > 0) noteLocalWrite(db);
      return denied;
    },
    addPrompt(id, prompt) {
      const row = get.get(id);
      if (!row) return;
      const list = JSON.parse(row.prompts) as ApprovalPrompt[];
      setPrompts.run(JSON.stringify([...list, prompt]), id);
    },
    prompts(id) {
      const row = get.get(id);
      return row ? (JSON.parse(row.prompts) as ApprovalPrompt[]) : [];
    },
    prune: (before) => prune.run(before).changes,
  };
}
