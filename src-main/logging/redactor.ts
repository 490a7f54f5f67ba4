/** Replaces secrets before text or values leave the process (log files, stderr, IPC events). */
export interface Redactor {
  /** `text` with every known secret and secret shape replaced by `[redacted]`. */
  redact(text: string): string;
  /**
   * A deep copy of `value` for serialization: strings redacted, values under credential-like
   * keys (WhatsApp `noiseKey`, `private`, `botToken`, …) replaced, errors turned into plain
   * `{name, message, stack}` objects (JSON would drop them to `{}`), cycles cut.
   */
  redactValue<T>(value: T): T;
}

/** What a secret is replaced with. */
export const REDACTED = '[redacted]';

// Shapes of secrets that may reach a log without ever being configured (a key pasted into a
// message, a token in a library's error URL). Anthropic before the generic `sk-` so the longer
// match wins; `Bearer` keeps its word so the line still says what kind of credential it was.
const SHAPES: readonly { pattern: RegExp; replace: string }[] = [
  { pattern: /(?<!\d)\d{6,12}:[A-Za-z0-9_-]{30,}/g, replace: REDACTED },
  { pattern: /\bsk-ant-[A-Za-z0-9_-]{8,}/g, replace: REDACTED },
  { pattern: /\bsk-[A-Za-z0-9_-]{20,}/g, replace: REDACTED },
  { pattern: /\b(Bearer\s+)[A-Za-z0-9._~+/=-]{8,}/gi, replace: `$1${REDACTED}` },
  // Baileys credentials serialized into text (a JSON dump of `creds`): the value of a credential
  // key, a string or a flat `{…}` (its Buffers serialize as `{"type":"Buffer","data":"…"}`).
  {
    pattern:
      /("(?:noiseKey|signedIdentityKey|signedPreKey|advSecretKey|pairingEphemeralKeyPair|private|privKey|privateKey|pairingCode)"\s*:\s*)("(?:[^"\\]|\\.)*"|\{[^{}]*\})/g,
    replace: `$1"${REDACTED}"`,
  },
];

/**
 * Object keys whose values are credentials whatever they look like: Baileys' auth state
 * (`noiseKey`, `signedIdentityKey`, `advSecretKey`, key pairs' `private`) and the usual names.
 */
const SENSITIVE_KEY =
  /^(?:private|token|secret|password|passwd|authorization|cookie|pairingCode)$|privkey|privatekey|secretkey|noisekey|identitykey|signedprekey|keypair|bottoken|apikey|api_key|accesstoken|refreshtoken|clientsecret/i;

const MAX_DEPTH = 20;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The forms a secret takes in text: as is, JSON-escaped, and URL-encoded (tokens in URLs). */
function spellings(secret: string): string[] {
  const forms = new Set([secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)]);
  return [...forms];
}

function exactMatcher(secrets: Iterable<string>): RegExp | null {
  const forms = new Set<string>();
  for (const secret of secrets) {
    if (secret.trim() === '') continue;
    for (const form of spellings(secret)) forms.add(form);
  }
  if (forms.size === 0) return null;
  // Longest first, so a secret that contains another is replaced whole.
  const sorted = [...forms].sort((a, b) => b.length - a.length).map(escapeRegExp);
  return new RegExp(sorted.join('|'), 'g');
}

/**
 * A redactor for `secrets` (exact values) plus the known shapes. With `enabled: false` it
 * changes nothing: that is `logging.redactSensitive: false`, which only logs may honour.
 */
export function createRedactor(options: { secrets: Iterable<string>; enabled: boolean }): Redactor {
  if (!options.enabled) return { redact: (text) => text, redactValue: (value) => value };
  const exact = exactMatcher(options.secrets);
  const redact = (text: string): string => {
    let out = exact ? text.replace(exact, REDACTED) : text;
    for (const shape of SHAPES) out = out.replace(shape.pattern, shape.replace);
    return out;
  };
  const walk = (value: unknown, seen: WeakSet<object>, depth: number): unknown => {
    if (typeof value === 'string') return redact(value);
    if (typeof value !== 'object' || value === null) return value;
    if (ArrayBuffer.isView(value) || value instanceof Date) return value;
    if (seen.has(value)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[too deep]';
    seen.add(value);
    try {
      if (Array.isArray(value)) return value.map((item) => walk(item, seen, depth + 1));
      const source: Record<string, unknown> =
        value instanceof Error ? errorFields(value) : (value as Record<string, unknown>);
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(source)) {
        copy[key] =
          SENSITIVE_KEY.test(key) && isSecretCarrier(item) ? REDACTED : walk(item, seen, depth + 1);
      }
      return copy;
    } finally {
      seen.delete(value);
    }
  };
  return { redact, redactValue: <T>(value: T) => walk(value, new WeakSet(), 0) as T };
}

/** An error's own fields plus the non-enumerable ones JSON would drop. */
function errorFields(error: Error): Record<string, unknown> {
  const fields: Record<string, unknown> = { name: error.name, message: error.message };
  if (error.stack !== undefined) fields['stack'] = error.stack;
  if (error.cause !== undefined) fields['cause'] = error.cause;
  return Object.assign(fields, error);
}

/** Flags and counts under a sensitive name (`token: true`) say nothing secret; keep them. */
function isSecretCarrier(value: unknown): boolean {
  return typeof value === 'string' || (typeof value === 'object' && value !== null);
}

export { collectSecrets, collectSecretsFromRaw } from './secret-sources.js';
