import { AppError } from '../../src-shared/domain/app-error.js';
import type { AccessActor, AllowlistKind } from '../../src-shared/domain/access.js';
import { normalizeId, type MessagingProvider } from '../../src-shared/domain/providers.js';
import type { Config } from '../../src-shared/config/schema.js';
import type { Database } from 'better-sqlite3';
import { dmSessionKey, groupSessionKey } from '../../src-shared/domain/session-key.js';
import { createSessionsRepo } from '../store/sessions-repo.js';
import type { AccessStore } from './access-store.js';

/** Adding and removing approved allowlist entries, each recorded in the audit trail. */
export class AllowlistService {
  constructor(
    private readonly store: AccessStore,
    private readonly now: () => number = Date.now,
  ) {}

  /** Approves a DM sender or a group by hand; returns whether it was new. */
  add(
    provider: MessagingProvider,
    kind: AllowlistKind,
    rawId: string,
    actor: AccessActor,
    displayName: string | null = null,
  ): boolean {
    const id = this.parseId(provider, kind, rawId);
    return this.store.db
      .transaction(() => {
        const at = this.now();
        const added = this.store.allowlist.add({ provider, kind, id, displayName, at, by: actor });
        if (added)
          this.store.audit.record({
            at,
            provider,
            action: 'allowlist-added',
            subjectId: id,
            actor,
            detail: { kind },
          });
        return added;
      })
      .immediate();
  }

  /**
   * Removes an approved entry. Entries from the config file cannot be removed here: the error
   * names the file and key to edit.
   */
  remove(
    provider: MessagingProvider,
    kind: AllowlistKind,
    rawId: string,
    actor: AccessActor,
    config: { config: Config; path: string },
  ): void {
    const id = this.parseId(provider, kind, rawId);
    const removed = this.store.db
      .transaction(() => {
        const at = this.now();
        const gone = this.store.allowlist.remove(provider, kind, id);
        if (gone) {
          this.store.audit.record({
            at,
            provider,
            action: 'allowlist-removed',
            subjectId: id,
            actor,
            detail: { kind },
          });
          recordInSessions(this.store.db, provider, kind, id, actor, at);
        }
        return gone;
      })
      .immediate();
    if (removed) return;
    const key = configKeyListing(config.config, provider, kind, id);
    if (key)
      throw new AppError(
        'CONFLICT',
        `${id} comes from the config file: remove it from ${key} in ${config.path}`,
      );
    throw new AppError(
      'NOT_FOUND',
      `${id} is not on the ${provider} ${kind === 'dm' ? 'DM' : 'group'} allowlist`,
    );
  }

  private parseId(provider: MessagingProvider, kind: AllowlistKind, rawId: string): string {
    const id = normalizeId(provider, rawId, kind === 'group' ? 'group' : 'user');
    if (id === '' || id === '*') {
      throw new AppError(
        'BAD_INPUT',
        `"${rawId}" is not an id: a wildcard can only be set in the config file, with dmPolicy "open"`,
      );
    }
    return id;
  }
}

/** The config key that lists an id, if any. */
export function configKeyListing(
  config: Config,
  provider: MessagingProvider,
  kind: AllowlistKind,
  id: string,
): string | null {
  const norm = (ids: readonly string[]) => ids.map((x) => normalizeId(provider, x));
  if (kind === 'group')
    return Object.keys(config[provider].groups).includes(id) ? `${provider}.groups` : null;
  if (norm(config.owner[provider]).includes(id)) return `owner.${provider}`;
  if (norm(config[provider].allowFrom).includes(id)) return `${provider}.allowFrom`;
  return null;
}

/**
 * An access decision that affects a session belongs in its transcript: the sessions of a removed
 * DM sender or group (its topics included) get an `access` event, in the removal's transaction.
 */
function recordInSessions(
  db: Database,
  provider: MessagingProvider,
  kind: AllowlistKind,
  id: string,
  actor: AccessActor,
  at: number,
): void {
  const sessions = createSessionsRepo(db);
  const key = kind === 'dm' ? dmSessionKey(provider, id) : groupSessionKey(provider, id);
  for (const session of sessions.list()) {
    if (session.key !== key && !session.key.startsWith(`${key}:topic:`)) continue;
    sessions.append({
      sessionKey: session.key,
      at,
      kind: 'access',
      actor: 'system',
      text: `Removed from the ${provider} ${kind === 'dm' ? 'DM' : 'group'} allowlist (${actor}); later messages are blocked`,
      data: { action: 'allowlist-removed', actor, id },
    });
  }
}
