import { readFileSync } from 'node:fs';
import type { Config } from '../../src-shared/config/schema.js';
import { SECRETS, secretEnvNames } from '../secret-registry.js';
import { resolveTokenPath } from '../state-layout.js';

/** Shorter values are not redacted: replacing a common word everywhere would wreck the logs. */
export const MIN_SECRET_LENGTH = 8;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function field(value: unknown, ...path: string[]): unknown {
  let at = value;
  for (const key of path) at = isRecord(at) ? at[key] : undefined;
  return at;
}

function readTokenFile(file: string, stateDir: string | undefined): string | null {
  try {
    return readFileSync(resolveTokenPath(file, stateDir ?? process.cwd()), 'utf8').trim();
  } catch {
    // The gateway reports an unreadable token file; here it simply holds no secret to hide.
    return null;
  }
}

/**
 * Every secret the config and environment give this process. Reads `config` defensively, so the
 * raw content of an invalid config file (which may still hold a token) can be passed too.
 */
export function collectSecrets(
  config: Config,
  env: Record<string, string | undefined>,
  extra: string[] = [],
  stateDir?: string,
): string[] {
  return collectSecretsFromRaw(config, env, extra, stateDir);
}

/** {@link collectSecrets} for a config that did not validate (parsed JSON5, or anything). */
export function collectSecretsFromRaw(
  raw: unknown,
  env: Record<string, string | undefined>,
  extra: string[] = [],
  stateDir?: string,
): string[] {
  const found: unknown[] = [...extra];
  found.push(field(raw, ...SECRETS['telegram-token'].configKey.split('.')));
  const tokenFile = field(raw, 'telegram', 'tokenFile');
  if (typeof tokenFile === 'string') found.push(readTokenFile(tokenFile, stateDir));
  const keyEnv = field(raw, 'agent', 'model', 'apiKeyEnv');
  for (const name of secretEnvNames(typeof keyEnv === 'string' ? keyEnv : null))
    found.push(env[name]);
  // Values the owner hands to sandboxes are secrets by intent (that is why they are not inherited).
  const sandboxEnv = field(raw, 'agent', 'sandbox', 'docker', 'env');
  if (isRecord(sandboxEnv)) found.push(...Object.values(sandboxEnv));
  const secrets = new Set<string>();
  for (const value of found) {
    if (typeof value !== 'string') continue;
    const trimmed = value.trim();
    if (trimmed.length >= MIN_SECRET_LENGTH) secrets.add(trimmed);
  }
  return [...secrets];
}
