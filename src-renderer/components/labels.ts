import type { AccessActor } from '../../src-shared/domain/access.js';

const actorWords: Record<AccessActor, string> = {
  ui: 'you, in this app',
  cli: 'you, on the command line',
  gateway: 'the gateway',
  'legacy-import': 'an import of the old allowlist file',
};

/** Who approved an entry, in words. */
export function approvedByWords(actor: string | null): string {
  return actor && actor in actorWords ? actorWords[actor as AccessActor] : (actor ?? 'unknown');
}
