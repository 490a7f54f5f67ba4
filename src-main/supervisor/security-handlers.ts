import { AppError } from '../../src-shared/domain/app-error.js';
import type { ContractHandlers } from './ipc-router.js';
import { runAudit, runSafeFixes } from '../audit/audit-service.js';
import type { CollectOptions } from '../audit/collect-input.js';
import { resolveConfigPath } from '../state-layout.js';

/**
 * What only the process hosting the supervisor knows: its state directory, the address its web
 * mode is bound to, and (desktop app on Linux) which backend Electron's safeStorage chose.
 */
export interface SecurityHost {
  stateDir: string;
  /** The environment the config path is resolved from (default: this process's). */
  env?: NodeJS.ProcessEnv;
  webHost?: string | null;
  /** The web UI's address with its token, once it listens (`clawdbot web-url` asks for it). */
  webUrl?: () => string | null;
  /** Asked at audit time: Electron can only answer once the app is ready. */
  safeStorageBackend?: () => string | null;
}

function collectOptions(host: SecurityHost): CollectOptions {
  return {
    stateDir: host.stateDir,
    configPath: resolveConfigPath(host.stateDir, host.env ?? process.env),
    env: host.env,
    webHost: host.webHost ?? null,
    safeStorageBackend: host.safeStorageBackend?.() ?? null,
  };
}

/** The `security:*` contract handlers; without a host they say the audit is not available. */
export function createSecurityHandlers(
  host: SecurityHost | undefined,
): Pick<ContractHandlers, 'security:audit' | 'security:fix'> {
  const hostOrFail = (): SecurityHost => {
    if (!host)
      throw new AppError('UNAVAILABLE', 'this supervisor was started without the security audit');
    return host;
  };
  return {
    'security:audit': () => runAudit(collectOptions(hostOrFail())),
    'security:fix': () => runSafeFixes(collectOptions(hostOrFail())),
  };
}
