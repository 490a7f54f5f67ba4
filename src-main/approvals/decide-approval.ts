import type {
  ApprovalChoice,
  ApprovalRequest,
  DecisionSurface,
} from '../../src-shared/domain/approvals.js';
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

/**
 * Records the owner's decision on a pending request, the same way from every surface (desktop,
 * tray, web, CLI, the owner's chat): the first answer wins. `always` also stores the exact
 * command text in `agent.approvals.allowlist`; if the config file cannot be edited, the command
 * is still allowed this once and the error says why it was not remembered.
 */
export function decideApproval(
  id: string,
  choice: ApprovalChoice,
  context: DecideContext,
): DecideOutcome {
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
        command: result.request.command,
        match: 'exact',
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
