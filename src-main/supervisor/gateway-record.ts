import { idleGatewayStatus, type GatewayStatus } from '../../src-shared/domain/gateway.js';
import { isSameProcess } from '../process/process-identity.js';
import type { RuntimeRepo } from '../store/runtime-repo.js';
import type { GatewayChild } from './gateway-child.js';

/** The status a new gateway manager starts from, given what the runtime record says. */
export function restoredGatewayStatus(runtime: RuntimeRepo): GatewayStatus {
  const persisted = runtime.readGateway().status;
  // Whatever a previous supervisor left behind is history: no process of ours runs yet.
  return {
    ...idleGatewayStatus,
    state: persisted.state === 'crashed' ? 'crashed' : 'stopped',
    lastExit: persisted.lastExit,
    message: persisted.state === 'crashed' ? persisted.message : null,
  };
}

/**
 * Writes the gateway manager's status to the runtime record. `child` is the manager's live
 * child, if any; `identity` the child's start identity when just learned (else the record's is
 * kept while a pid is shown).
 */
export function recordGatewayStatus(
  runtime: RuntimeRepo,
  current: GatewayStatus,
  child: Pick<GatewayChild, 'pid'> | null,
  identity?: string | null,
): void {
  // The record is how the CLI (and `clawdbot kill`) finds the gateway: while another live
  // gateway owns it, our own story (waiting, stopped) is told only to our listeners.
  if (child || !recordNamesOtherLiveGateway(runtime, child)) {
    const recordedIdentity =
      identity !== undefined
        ? identity
        : current.pid === null
          ? null
          : (runtime.readGateway().process?.identity ?? null);
    runtime.writeGateway(current, recordedIdentity);
  }
}

function recordNamesOtherLiveGateway(
  runtime: RuntimeRepo,
  child: Pick<GatewayChild, 'pid'> | null,
): boolean {
  const recorded = runtime.readGateway().process;
  return (
    recorded !== null &&
    recorded.pid !== child?.pid &&
    isSameProcess(recorded.pid, recorded.identity)
  );
}
