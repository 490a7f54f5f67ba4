import type { ApprovalRequest } from '../../src-shared/domain/approvals.js';

/**
 * A pending request for `command` on the host of the owner's `main` session, as the gateway
 * stores one, asked at `at` and expiring two minutes later.
 */
export function pendingApproval(id: string, command: string, at = Date.now()): ApprovalRequest {
  return {
    id,
    sessionKey: 'main',
    command,
    where: 'host',
    engine: null,
    cwd: '/home/owner',
    senderId: 'owner',
    senderName: null,
    provider: 'telegram',
    message: 'please',
    elevated: false,
    requestedAt: at,
    expiresAt: at + 120_000,
    state: 'pending',
    outcome: null,
    decidedBy: null,
    decidedVia: null,
    decidedAt: null,
  };
}

/** What the gateway inserts for a request: {@link pendingApproval} without its decision fields. */
export type NewApproval = Omit<
  ApprovalRequest,
  'state' | 'outcome' | 'decidedBy' | 'decidedVia' | 'decidedAt'
>;

/** A request as the gateway inserts it, with `changes` applied. */
export function newApproval(id: string, command: string, changes: Partial<NewApproval> = {}) {
  const { state, outcome, decidedBy, decidedVia, decidedAt, ...request } = pendingApproval(
    id,
    command,
  );
  void [state, outcome, decidedBy, decidedVia, decidedAt];
  return { ...request, ...changes } satisfies NewApproval;
}
