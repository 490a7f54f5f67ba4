import type {
  ApprovalChoice,
  ApprovalRequest,
  DecisionSurface,
} from '../../src-shared/domain/approvals.js';
import { entryMatches } from '../../src-shared/approvals/command-match.js';
import { AllowEntrySchema, type AllowMatch } from '../../src-shared/config/approvals-schema.js';
import type { ApprovalsRepo } from '../store/approvals-repo.js';
import { addAllowEntry } from './allowlist-file.js';

/** What deciding did: the first answer wins; later ones are told what it was. */
export type DecideOutcome =
  | { ok: true; request: ApprovalRequest; allowlistError: string | null }
  | { ok: false; error: string; request?: ApprovalRequest };

/** Who decides, from where, and the config file `always` adds the command to. */
export interface DecideContext {
  repo: ApprovalsRepo;
  configPath: string;
  by: string;
  via: DecisionSurface;
  now: number;
}

/** The allowlist entry the owner edited the command into before choosing Allow always. */
export interface EditedEntry {
  command: string;
  match: AllowMatch;
}

/**
 * Records the owner's decision on a pending request, the same way from every surface (desktop,
 * tray, web, CLI, the owner's chat): the first answer wins. `always` also stores the exact
 * command text in `agent.approvals.allowlist`, or `edited` (the pattern the owner edited it into,
 * which must still match this very command, else nothing is decided); if the config file cannot
 * be edited, the command is still allowed this once and the error says why it was not remembered.
 */
export function decideApproval(
  id: string,
  choice: ApprovalChoice,
  context: DecideContext,
  edited?: EditedEntry,
): DecideOutcome {
  if (edited) {
    const refused = refuseEdited(id, choice, edited, context.repo);
    if (refused) return { ok: false, error: refused };
  }
  const result = context.repo.decide(id, {
    outcome: choice,
    by: context.by,
    via: context.via,
    at: context.now,
  });
  switch (result.kind) {
    case 'unknown':
      return { ok: false, error: `no approval request ${JSON.stringify(id)}` };
    case 'already':
      return {
        ok: false,
        error: `request ${result.request.id} was already decided: ${result.request.outcome ?? result.request.state} by ${result.request.decidedBy ?? 'nobody'} via ${result.request.decidedVia ?? 'system'}`,
        request: result.request,
      };
    case 'decided': {
      if (choice !== 'always') return { ok: true, request: result.request, allowlistError: null };
      const added = addAllowEntry(context.configPath, {
        command: edited?.command ?? result.request.command,
        match: edited?.match ?? 'exact',
        where: result.request.where,
        addedBy: context.via,
        addedAt: context.now,
      });
      return {
        ok: true,
        request: result.request,
        allowlistError: added.ok ? null : added.error,
      };
    }
    default: {
      const unreachable: never = result;
      throw new Error(`unhandled decision ${JSON.stringify(unreachable)}`);
    }
  }
}

/** Why an edited entry cannot go with this decision, or null when it can. */
function refuseEdited(
  id: string,
  choice: ApprovalChoice,
  edited: EditedEntry,
  repo: ApprovalsRepo,
): string | null {
  if (choice !== 'always')
    return `an edited allowlist entry goes only with "always", not "${choice}"`;
  const request = repo.get(id);
  if (!request) return null; // the decision itself says it is unknown
  const entry = AllowEntrySchema.safeParse({ ...edited, where: request.where });
  if (!entry.success) return entry.error.issues.map((issue) => issue.message).join('; ');
  // The pattern is what the owner approves from now on: it must at least approve this command
  // (a prefix or pattern never matches inline code or compound commands: only exact does).
  if (!entryMatches(entry.data, request.command, request.where)) {
    return `the ${edited.match} entry ${JSON.stringify(edited.command)} does not match the command being approved (${JSON.stringify(request.command)}); nothing was decided`;
  }
  return null;
}
