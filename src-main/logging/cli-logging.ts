import { resolveStateDir } from '../state-layout.js';
import { redactSecrets } from './redact.js';
import { startProcessLogging, type ProcessLogging } from './process-logging.js';

let cached: ProcessLogging | null = null;

/**
 * The CLI's logging, set up on first use: most commands never log, and reading the config for
 * them would slow `clawdbot --help` and `status` down. Nothing is echoed to stderr by default:
 * the CLI already tells its user what went wrong in plain words.
 */
export function cliLogging(): ProcessLogging {
  cached ??= startProcessLogging({ process: 'cli', stateDir: resolveStateDir(), echoLevel: false });
  return cached;
}

/**
 * Logs a failed command (its name only: arguments may hold a secret being configured) and
 * returns the message redacted for the terminal, which the owner may paste into a bug report.
 */
export function logCliFailure(
  command: string | undefined,
  message: string,
  expected: boolean,
): string {
  const { log } = cliLogging();
  if (expected) log.warn('command failed', { command, error: message });
  else log.error('command failed', { command, error: message });
  return redactSecrets(message);
}
