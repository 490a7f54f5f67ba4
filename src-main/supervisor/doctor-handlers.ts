import type { DoctorReport } from '../../src-shared/domain/doctor.js';
import { AppError } from '../../src-shared/domain/app-error.js';
import type { ContractHandlers } from './ipc-router.js';
import type { Supervisor } from './supervisor.js';

/**
 * Runs `clawdbot doctor`'s checks for this host, given the desktop app's keychain key (null
 * where there is none). The host's composition root provides it: the checks read the gateway's
 * provider code (Telegram's getMe, the model client), which the supervisor never imports.
 */
export type DoctorRunner = (
  keychainKey: string | null,
  keychainTelegramToken: string | null,
) => Promise<DoctorReport>;

/**
 * The `doctor:run` handler: the same checks as `clawdbot doctor`, run in the supervisor's
 * process, which also knows the desktop app's keychain key for the model check.
 */
export function createDoctorHandlers(
  supervisor: Supervisor,
  doctor: DoctorRunner | undefined,
): Pick<ContractHandlers, 'doctor:run'> {
  return {
    'doctor:run': () => {
      if (!doctor)
        throw new AppError('UNAVAILABLE', 'this supervisor was started without the set-up checks');
      return doctor(supervisor.model.keychainKey(), supervisor.setup.keychainToken());
    },
  };
}
