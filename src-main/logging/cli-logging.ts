import type { ConfigService } from '../config/config-service.js';
import type { Logger } from './logger.js';
import { redactSecrets } from './redact.js';
import { startProcessLogging, type ProcessLogging } from './process-logging.js';

let cached: ProcessLogging | null = null;

/** What the CLI's logging is set up from: the run's state directory, environment and config. */
export interface CliLoggingSource {
  stateDir: string;
  env: NodeJS.ProcessEnv;
  config(): ConfigService;
}

/**
 * The CLI's logging, set up on first use: most commands never log, and reading the config for
 * them would slow `clawdbot --help` and `status` down. Nothing is echoed to stderr by default:
 * the CLI already tells its user what went wrong in plain words.
 */
export function cliLogging(source: CliLoggingSource): ProcessLogging {
  cached ??= startProcessLogging({
    process: 'cli',
    stateDir: source.stateDir,
    env: source.env,
    config: source.config(),
    echoLevel: false,
  });
  return cached;
}

/**
 * A logger for a command that logs only by exception (a malformed record it reads): the CLI's
 * logging, with `scope`, is set up at its first line, so the command pays nothing otherwise.
 */
export function cliLogOnDemand(source: CliLoggingSource, scope: string): Logger {
  const log = (): Logger => cliLogging(source).log.child(scope);
  return {
    debug: (msg, fields) => log().debug(msg, fields),
    info: (msg, fields) => log().info(msg, fields),
    warn: (msg, fields) => log().warn(msg, fields),
    error: (msg, fields) => log().error(msg, fields),
    child: (child) => cliLogOnDemand(source, child),
  };
}

/**
 * Logs a failed command (its name only: arguments may hold a secret being configured) and
 * returns the message redacted for the terminal, which the owner may paste into a bug report.
 */
export function logCliFailure(
  source: CliLoggingSource,
  command: string | undefined,
  message: string,
  expected: boolean,
): string {
  const { log } = cliLogging(source);
  if (expected) log.warn('command failed', { command, error: message });
  else log.error('command failed', { command, error: message });
  return redactSecrets(message);
}
