import { createRedactor, type Redactor } from './redactor.js';

// The process-wide, always-on redactor: what leaves the process by any way other than the log
// file (IPC events, the gateway's crash tail, stderr of loggers without a sink) goes through it
// whatever `logging.redactSensitive` says. Process logging fills in the configured secrets.
let current: Redactor = createRedactor({ secrets: [], enabled: true });

/** Sets the exact secrets (config, environment) every later {@link redactSecrets} call hides. */
export function setProcessSecrets(secrets: Iterable<string>): void {
  current = createRedactor({ secrets, enabled: true });
}

/**
 * The always-on redactor with this process's secrets, for IPC events and anything not a log. It
 * follows later {@link setProcessSecrets} calls, so holding on to it is fine.
 */
export const processRedactor: Redactor = {
  redact: (text) => current.redact(text),
  redactValue: (value) => current.redactValue(value),
};

/** Text with this process's secrets and known secret shapes replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  return current.redact(text);
}
