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
