import type { MessagingProvider } from '../../../src-shared/domain/providers.js';
import type { AllowlistRepo } from '../../store/allowlist-repo.js';

/**
 * The approved allowlist held in memory, so an allowed message costs a Set lookup instead of a
 * query (or, as the reference did, a JSON file read). Refreshed whenever the database changes.
 */
export class ApprovedCache {
  private dm = new Map<MessagingProvider, Set<string>>();
  private groups = new Map<MessagingProvider, Set<string>>();

  constructor(private readonly repo: AllowlistRepo) {
    this.refresh();
  }

  refresh(): void {
    const dm = new Map<MessagingProvider, Set<string>>();
    const groups = new Map<MessagingProvider, Set<string>>();
    for (const entry of this.repo.list()) {
      const target = entry.kind === 'dm' ? dm : groups;
      const set = target.get(entry.provider) ?? new Set<string>();
      set.add(entry.id);
      target.set(entry.provider, set);
    }
    this.dm = dm;
    this.groups = groups;
  }

  hasDm(provider: MessagingProvider, id: string): boolean {
    return this.dm.get(provider)?.has(id) ?? false;
  }

  hasGroup(provider: MessagingProvider, id: string): boolean {
    return this.groups.get(provider)?.has(id) ?? false;
  }

  groupCount(provider: MessagingProvider): number {
    return this.groups.get(provider)?.size ?? 0;
  }
}
