import { readTextIfExists } from '../read-if-exists.js';
import { createHmac, timingSafeEqual } from 'node:crypto';

/** One host key an OpenSSH known_hosts file trusts (or revokes) for a host. */
export interface KnownHostKey {
  /** The key type, e.g. `ssh-ed25519`. */
  type: string;
  /** The key blob (the base64 field, decoded): what the server presents. */
  key: Buffer;
  /** `@revoked`: this key must be refused even where another line trusts it. */
  revoked: boolean;
}

/**
 * The name known_hosts files use for a host: `host` on port 22, else `[host]:port` (OpenSSH's
 * convention, which `ssh-keyscan -p` and `ssh` itself write).
 */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/**
 * The keys a known_hosts file holds for `host:port`: plain and hashed (`|1|salt|hash`) host
 * fields, comma lists, `*`/`?` patterns and `!negations`, `@revoked` lines. `@cert-authority`
 * lines are skipped: host certificates are not supported, so a host trusted only through one
 * is refused as unknown. A missing file holds no keys.
 */
export function knownHostKeys(file: string, host: string, port: number): KnownHostKey[] {
  const text = readTextIfExists(file);
  if (text === null) return [];
  const name = knownHostsName(host, port);
  const keys: KnownHostKey[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    let marker: string | undefined;
    if (fields[0]?.startsWith('@')) marker = fields.shift();
    if (marker !== undefined && marker !== '@revoked') continue;
    const [hosts, type, blob] = fields;
    if (!hosts || !type || !blob || !hostFieldMatches(hosts, name)) continue;
    keys.push({ type, key: Buffer.from(blob, 'base64'), revoked: marker === '@revoked' });
  }
  return keys;
}

/** Whether a host key a server presented is trusted by these lines (and none revokes it). */
export function isTrustedHostKey(keys: KnownHostKey[], presented: Buffer): boolean {
  const same = (k: KnownHostKey): boolean =>
    k.key.length === presented.length && timingSafeEqual(k.key, presented);
  return !keys.some((k) => k.revoked && same(k)) && keys.some((k) => !k.revoked && same(k));
}

function hostFieldMatches(field: string, name: string): boolean {
  if (field.startsWith('|1|')) {
    const [, , salt, hash] = field.split('|');
    if (!salt || !hash) return false;
    const mine = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
    const theirs = Buffer.from(hash, 'base64');
    return mine.length === theirs.length && timingSafeEqual(mine, theirs);
  }
  let matched = false;
  for (const pattern of field.split(',')) {
    const negated = pattern.startsWith('!');
    if (!globMatches(negated ? pattern.slice(1) : pattern, name)) continue;
    if (negated) return false;
    matched = true;
  }
  return matched;
}

function globMatches(pattern: string, name: string): boolean {
  const regex = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${regex}$`, 'i').test(name);
}
