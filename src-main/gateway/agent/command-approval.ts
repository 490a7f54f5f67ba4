import { SANDBOX_WORKDIR } from '../../sandbox/image-recipe.js';
import { hostWorkspaceDir } from '../../state-layout.js';
import type { ApprovalGate } from '../approvals/approval-gate.js';
import type { Delivery } from '../inbound/delivery.js';
import type { ToolRunner } from './tools/tool-runner.js';

/**
 * Whether a command may run, as `agent.approvals` says: on the host (and in a sandbox with
 * `sandbox: ask`) it may wait for the owner, pausing this session's turn meanwhile. No gate:
 * it runs.
 */
export async function approveCommand(
  gate: ApprovalGate | undefined,
  request: {
    delivery: Delivery;
    command: string;
    on: Pick<ToolRunner, 'where' | 'engine'>;
    elevatedGuest: boolean;
    stateDir: string;
    signal: AbortSignal;
  },
): Promise<boolean> {
  if (!gate) return true;
  const { delivery, command, on, elevatedGuest, stateDir, signal } = request;
  const { envelope } = delivery;
  const { where } = on;
  const answer = await gate.check({
    sessionKey: delivery.sessionKey,
    command,
    where,
    engine: on.engine ?? null,
    cwd: where === 'host' ? hostWorkspaceDir(stateDir) : SANDBOX_WORKDIR,
    senderId: envelope.senderId,
    senderName: envelope.senderName ?? null,
    provider: envelope.provider,
    message: envelope.text,
    elevatedGuest,
    signal,
  });
  return answer.run;
}
