import type { ApprovalRequest } from '../../src-shared/domain/approvals.js';
import { approvalRunsOn } from '../../src-shared/format/approval-runs-on.js';

/**
 * Where a request's command runs (or ran), as recorded when it was asked for: the Approvals
 * view's "Runs on" column and the approval dialog's. The hover says where the words come from.
 */
export function ApprovalRunsOn({
  request,
  testId = 'approval-runs-on',
}: {
  request: ApprovalRequest;
  testId?: string;
}) {
  const title =
    request.where === 'host'
      ? 'Runs on this computer, outside any sandbox'
      : request.engine === null
        ? 'Asked for before Clawdbot recorded the engine: which engine and runtime it was is not known'
        : 'The engine and runtime configured when the command was asked for';
  return (
    <span data-testid={testId} title={title}>
      {approvalRunsOn(request)}
    </span>
  );
}
