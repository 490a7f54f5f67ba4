import type { Config } from '../../src-shared/config/schema.js';
import type { AllowlistEntry } from '../../src-shared/domain/access.js';
import type { AllowlistOverview } from '../../src-shared/domain/allowlist-overview.js';
import { MESSAGING_PROVIDERS, normalizeId } from '../../src-shared/domain/providers.js';
import type { ConfigState } from '../config/config-service.js';
import type { AllowlistRepo } from '../store/allowlist-repo.js';
import type { AllowlistNote } from '../store/allowlist-notes-repo.js';

function configEntry(
  provider: AllowlistEntry['provider'],
  kind: AllowlistEntry['kind'],
  id: string,
  configKey: string,
): AllowlistEntry {
  return {
    provider,
    kind,
    id,
    displayName: null,
    source: 'config',
    approvedAt: null,
    approvedBy: null,
    configKey,
  };
}

/**
 * The effective allowlists as the owner should see them: config entries (read-only, with the
 * key that lists them) merged with approved ones (removable).
 */
export function buildAllowlistOverview(
  config: ConfigState,
  repo: AllowlistRepo,
  notes: readonly AllowlistNote[] = [],
): AllowlistOverview {
  const c: Config = config.config;
  const noteOf = (e: AllowlistEntry) =>
    notes.find((n) => n.provider === e.provider && n.kind === e.kind && n.id === e.id);
  const annotated = (e: AllowlistEntry): AllowlistEntry => {
    const note = noteOf(e);
    const told =
      e.source === 'config' ? 'config' : e.approvedBy === 'legacy-import' ? 'import' : 'pairing';
    return { ...e, origin: note?.origin ?? told, label: note?.label ?? null };
  };
  return {
    configPath: config.path,
    configErrors: config.errors,
    providers: MESSAGING_PROVIDERS.map((provider) => {
      const access = c[provider];
      const entries: AllowlistEntry[] = [
        ...c.owner[provider].map((id) =>
          configEntry(provider, 'dm', normalizeId(provider, id), `owner.${provider}`),
        ),
        ...access.allowFrom.map((id) =>
          configEntry(provider, 'dm', normalizeId(provider, id), `${provider}.allowFrom`),
        ),
        ...Object.keys(access.groups).map((id) =>
          configEntry(provider, 'group', id, `${provider}.groups`),
        ),
        ...repo.list(provider),
      ].map(annotated);
      return {
        provider,
        dmPolicy: access.dmPolicy,
        groupPolicy: access.groupPolicy,
        groupAllowFrom: access.groupAllowFrom,
        entries,
      };
    }),
  };
}
