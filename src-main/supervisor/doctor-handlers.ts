import { AppError } from '../../src-shared/domain/app-error.js';
import type { SecurityHost } from '../audit/security-handlers.js';
import { resolveConfigPath } from '../config/config-path.js';
import { runDoctor } from '../doctor/run-doctor.js';
import { appRootPath } from '../paths.js';
import type { ContractHandlers } from './ipc-router.js';
import type { Supervisor } from './supervisor.js';

/**
 * The `doctor:run` handler: the same checks as `clawdbot doctor`, run in the supervisor's
 * process, which also knows the desktop app's keychain key for the model check.
 */
export function createDoctorHandlers(
  supervisor: Supervisor,
  host: SecurityHost | undefined,
): Pick<ContractHandlers, 'doctor:run'> {
  return {
    'doctor:run': () => {
      if (!host) throw new AppError('UNAVAILABLE', 'this supervisor was started without its host');
      const env = host.env ?? process.env;
      return runDoctor({
        stateDir: host.stateDir,
        configPath: resolveConfigPath(host.stateDir, env),
        env,
        appRoot: appRootPath(),
        keychainKey: supervisor.model.keychainKey(),
      });
    },
  };
}
