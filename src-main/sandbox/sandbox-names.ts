import { createHash } from 'node:crypto';

/** Every sandbox container's name starts with this. */
export const SANDBOX_NAME_PREFIX = 'clawdbot-sbx-';
/** The longest slug kept from a scope key. */
export const MAX_SLUG_LENGTH = 32;
/** Docker accepts longer names; 63 keeps them usable as host names and DNS labels. */
export const MAX_CONTAINER_NAME_LENGTH = 63;

/**
 * A readable, path- and name-safe form of a scope key: lowercased, every character outside
 * `[a-z0-9._-]` replaced by `-`, at most 32 characters. Not unique ("Group:1" and "group-1"
 * share a slug), so it is never used alone: see {@link sandboxId}.
 */
export function slugScopeKey(scopeKey: string): string {
  const slug = scopeKey
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '-')
    .slice(0, MAX_SLUG_LENGTH);
  return slug === '' ? 'session' : slug;
}

/**
 * The slug plus 8 hex digits of the scope key's SHA-1: unique per key (the hash is of the key
 * as given, case included), readable, and safe as a file name (it can never be `.` or `..`).
 * Names both the container and the workspace directory, so two sessions whose slugs collide
 * never share a workspace.
 */
export function sandboxId(scopeKey: string): string {
  const hash = createHash('sha1').update(scopeKey, 'utf8').digest('hex').slice(0, 8);
  return `${slugScopeKey(scopeKey)}-${hash}`;
}

/** How many hex digits of the installation id end a container name. */
export const INSTALLATION_NAME_DIGITS = 8;

/**
 * The container name for a scope key in an installation: `clawdbot-sbx-<slug>-<8 hex>-<the
 * installation id's first 8 hex>`, at most 63 characters. The installation part keeps two
 * installations on one engine (two state directories, two users, the test suite) from claiming
 * the same name for the same session; the workspace directory, inside the state directory, needs
 * no such part and keeps its name ({@link sandboxId}).
 */
export function sandboxContainerName(scopeKey: string, installationId: string): string {
  return `${SANDBOX_NAME_PREFIX}${sandboxId(scopeKey)}-${installationId.slice(0, INSTALLATION_NAME_DIGITS)}`;
}
