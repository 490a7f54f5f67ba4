import type { GatewayStatus } from '../../src-shared/domain/gateway.js';
import type { RuntimeRepo } from '../store/runtime-repo.js';
import { isSameProcess } from '../process/process-identity.js';

/**
 * The gateway status as recorded, corrected for a recorder that died without saying so: a
 * "running" gateway whose process is gone (or whose pid now belongs to another program) is
 * reported stopped.
 */
export function observedGatewayStatus(runtime: RuntimeRepo): GatewayStatus {
  const { status, process } = runtime.readGateway();
  const live =
    status.state === 'running' || status.state === 'starting' || status.state === 'stopping';
  if (!live || status.pid === null) return status;
  if (process && isSameProcess(process.pid, process.identity)) return status;
  if (status.state === 'starting' && status.nextRestartAt !== null) return status;
  return {
    ...status,
    state: 'stopped',
    pid: null,
    message: `the recorded gateway (pid ${status.pid}) is no longer running`,
  };
}
