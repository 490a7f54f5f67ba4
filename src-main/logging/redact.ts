import { createRedactor, type Redactor } from './redactor.js';

// The process-wide, always-on redactor: what leaves the process by any way other than the log
// file (IPC events, the gateway's crash tail, stderr of loggers without a sink) goes through it
// whatever `logging.redactSensitive` says. Process logging fills in the configured secrets;
// secrets learnt while running (a keychain key, a generated token) are added by whoever learns
// them, and stay hidden for the life of the process.
let configured: string[] = [];
const learnt = new Set<string>();
const listeners = new Set<() => void>();
let current: Redactor = createRedactor({ secrets: [], enabled: true });

function rebuild(): void {
  current = createRedactor({ secrets: processSecrets(), enabled: true });
  for (const listener of listeners) listener();
}

/** Sets the secrets the config and environment give this process (replacing the last set). */
export function setProcessSecrets(secrets: Iterable<string>): void {
  configured = [...secrets];
  rebuild();
}

/**
 * Adds secrets learnt while running (the keychain's model key, the web UI's token): hidden from
 * every later log line and event, whatever the config says next.
 */
export function addProcessSecrets(secrets: Iterable<string>): void {
  const before = learnt.size;
  for (const secret of secrets) if (secret.trim() !== '') learnt.add(secret);
  if (learnt.size !== before) rebuild();
}

/** Every secret this process hides: configured and learnt. */
export function processSecrets(): string[] {
  return [...configured, ...learnt];
}

/** Calls `listener` whenever the process's secrets change; returns the unsubscribe. */
export function onProcessSecretsChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/**
 * The always-on redactor with this process's secrets, for IPC events and anything not a log. It
 * follows later secret changes, so holding on to it is fine.
 */
export const processRedactor: Redactor = {
  redact: (text) => current.redact(text),
  redactValue: (value) => current.redactValue(value),
};

/** Text with this process's secrets and known secret shapes replaced by `[redacted]`. */
export function redactSecrets(text: string): string {
  return current.redact(text);
}
