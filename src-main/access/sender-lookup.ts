import type { AllowlistOverview } from '../../src-shared/domain/allowlist-overview.js';
import { MessagingProviderSchema, normalizeId } from '../../src-shared/domain/providers.js';
import type { SenderLookup } from '../store/usage-history.js';

/**
 * The allowlist's names for usage senders (`<provider>:<id>`): the owner's label and the
 * display name of the DM entry that lets them in. A sender no DM entry lists (a group member, a
 * stranger under an open policy) has none.
 */
export function senderLookup(overview: AllowlistOverview): SenderLookup {
  const names = new Map<string, { label: string | null; displayName: string | null }>();
  for (const provider of overview.providers) {
    for (const entry of provider.entries) {
      if (entry.kind !== 'dm') continue;
      const key = `${entry.provider}:${normalizeId(entry.provider, entry.id)}`;
      const known = names.get(key);
      // An id listed twice (config and approved): any label or name either gives.
      names.set(key, {
        label: known?.label ?? entry.label ?? null,
        displayName: known?.displayName ?? entry.displayName,
      });
    }
  }
  return (sender) => {
    const colon = sender.indexOf(':');
    const provider = MessagingProviderSchema.safeParse(sender.slice(0, colon));
    if (colon < 0 || !provider.success) return null;
    return (
      names.get(`${provider.data}:${normalizeId(provider.data, sender.slice(colon + 1))}`) ?? null
    );
  };
}
