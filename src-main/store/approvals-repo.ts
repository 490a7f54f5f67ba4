import type { Database } from 'better-sqlite3';
import type {
  ApprovalOutcome,
  ApprovalRequest,
  DecisionSurface,
} from '../../src-shared/domain/approvals.js';
import { noteLocalWrite } from './database-changes.js';

interface Row {
  id: string;
  session_key: string;
  command: string;
  location: 'host' | 'sandbox';
  engine_endpoint: string | null;
  engine_runtime: string | null;
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

const toRequest = (r: Row): ApprovalRequest => ({
  id: r.id,
  sessionKey: r.session_key,
  command: r.command,
  where: r.location,
  // Only a sandbox request has an engine; one stored before it was recorded has none.
  engine:
    r.location === 'sandbox' && r.engine_endpoint !== null
      ? { endpoint: r.engine_endpoint, runtime: r.engine_runtime }
      : null,
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

/** The approvals repository over the shared database. */
export function createApprovalsRepo(db: Database): ApprovalsRepo {
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
