import type { DoctorCheck, DoctorReport } from '../../src-shared/domain/doctor.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { checkChromium } from './checks/chromium.js';
import { checkConfigFile } from './checks/config-file.js';
import { checkDockerEngine } from './checks/docker-engine.js';
import { checkElectron } from './checks/electron.js';
import { checkLimits } from './checks/limits.js';
import { checkLogging } from './checks/logging.js';
import { checkMigrations } from './checks/migrations.js';
import { checkModel } from './checks/model.js';
import { checkNativeModule } from './checks/native-module.js';
import { checkNodeVersion } from './checks/node-version.js';
import { checkRuntimes } from './checks/runtimes.js';
import { checkSandboxImage } from './checks/sandbox-image.js';
import { checkStateDir } from './checks/state-dir.js';
import { checkTelegram } from './checks/telegram.js';
import { checkWhatsApp } from './checks/whatsapp.js';
import { collectDoctorFacts } from './collect-facts.js';
import {
  buildMissingSandboxImage,
  type ImageBuildOutcome,
  type SandboxRecipe,
} from './doctor-fix.js';
import { appRootPath } from '../paths.js';
import { resolveConfigPath } from '../state-layout.js';
import type { DoctorCheckDef, DoctorContext } from './doctor-context.js';

/** Every check, in the order a newcomer meets what they look at. */
export const DOCTOR_CHECKS: readonly DoctorCheckDef[] = [
  checkNodeVersion,
  checkNativeModule,
  checkElectron,
  checkDockerEngine,
  checkSandboxImage,
  checkRuntimes,
  checkChromium,
  checkStateDir,
  checkConfigFile,
  checkLogging,
  checkTelegram,
  checkWhatsApp,
  checkModel,
  checkLimits,
  checkMigrations,
];

/**
 * Runs every check at once (the network ones wait on Telegram, the model and Docker, not on
 * each other) and reports them in their order. A check that throws is reported as an error of
 * its own, never as a crash of the whole report.
 */
export async function runDoctor(context: DoctorContext): Promise<DoctorReport> {
  const facts = await collectDoctorFacts(context);
  const checks = await Promise.all(
    DOCTOR_CHECKS.map(({ id, title, run }) =>
      run(context, facts).catch((error: unknown): DoctorCheck => ({
        id,
        title,
        status: 'error',
        summary: `the check itself failed: ${describeError(error)}`,
        fix: 'report this as a bug, with `clawdbot doctor --json`',
        fixable: false,
      })),
    ),
  );
  return { checks, checkedAt: Date.now() };
}

/**
 * The checks a supervisor host runs for its dashboard (`doctor:run`): those of `clawdbot doctor`
 * on the host's state directory and environment, with the keychain key the supervisor knows.
 */
export function doctorForHost(
  stateDir: string,
  env: NodeJS.ProcessEnv = process.env,
): (keychainKey: string | null, keychainTelegramToken: string | null) => Promise<DoctorReport> {
  return (keychainKey, keychainTelegramToken) =>
    runDoctor({
      stateDir,
      configPath: resolveConfigPath(stateDir, env),
      env,
      appRoot: appRootPath(),
      keychainKey,
      keychainTelegramToken,
    });
}

/**
 * The setup page's sandbox image build for a supervisor host (`imagebuild:start`): the same
 * build as `clawdbot doctor --fix`, on the host's state directory, config and engine, from
 * assets/sandbox unless another recipe is given.
 */
export function imageBuildForHost(
  stateDir: string,
  env: NodeJS.ProcessEnv = process.env,
  recipe?: SandboxRecipe,
): (onProgress: (line: string) => void) => Promise<ImageBuildOutcome> {
  return async (onProgress) => {
    const context: DoctorContext = {
      stateDir,
      configPath: resolveConfigPath(stateDir, env),
      env,
      appRoot: appRootPath(),
    };
    return buildMissingSandboxImage(context, await collectDoctorFacts(context), onProgress, recipe);
  };
}
