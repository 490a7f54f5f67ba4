import type { Config, DmPolicy, GroupPolicy } from '../../../src-shared/config/schema.js';
import {
  MESSAGING_PROVIDERS,
  normalizeId,
  type MessagingProvider,
} from '../../../src-shared/domain/providers.js';

/** One provider's access rules, compiled for constant-time checks per message. */
export interface CompiledProviderAccess {
  dmPolicy: DmPolicy;
  /** `allowFrom` from the config, normalised (may hold "*" under `open`). */
  allowFrom: ReadonlySet<string>;
  owners: ReadonlySet<string>;
  groupPolicy: GroupPolicy;
  groupAllowFrom: ReadonlySet<string>;
  /** Group settings by id (and "*"); when non-empty, also the group allowlist. */
  groups: ReadonlyMap<string, { requireMention: boolean | undefined; enabled: boolean }>;
}

/** The whole config as the pipeline uses it. */
export interface CompiledAccess {
  providers: Readonly<Record<MessagingProvider, CompiledProviderAccess>>;
  mentionPatterns: readonly RegExp[];
  /** `session.catchUpMinutes` in ms: how old a caught-up message may be and still be answered. */
  catchUpMs: number;
}

// Zero-width and bidi control characters: stripped so "@cl\u200Bawd" still counts as a mention
// and an invisible character cannot hide one.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u206F]/g;

/** Text as mention patterns see it: invisible characters removed, lower case. */
export function normalizeForMentions(text: string): string {
  return text.replace(INVISIBLE, '').toLowerCase();
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The mention pattern used when none is configured: the assistant's name as a word. */
export function defaultMentionPattern(assistantName: string): RegExp {
  return new RegExp(
    `(^|[^\\p{L}\\p{N}_])@?${escapeRegExp(assistantName.toLowerCase())}($|[^\\p{L}\\p{N}_])`,
    'iu',
  );
}

/** Compiles a validated config (ids normalised, patterns compiled once). */
export function compileAccess(config: Config): CompiledAccess {
  const providers = {} as Record<MessagingProvider, CompiledProviderAccess>;
  for (const provider of MESSAGING_PROVIDERS) {
    const access = config[provider];
    const norm = (ids: readonly string[]) => new Set(ids.map((id) => normalizeId(provider, id)));
    providers[provider] = {
      dmPolicy: access.dmPolicy,
      allowFrom: norm(access.allowFrom),
      owners: norm(config.owner[provider]),
      groupPolicy: access.groupPolicy,
      groupAllowFrom: norm(access.groupAllowFrom),
      groups: new Map(
        Object.entries(access.groups).map(([id, g]) => [
          normalizeId(provider, id, 'group'),
          { requireMention: g.requireMention, enabled: g.enabled },
        ]),
      ),
    };
  }
  const configured = config.routing.groupChat.mentionPatterns;
  const mentionPatterns =
    configured && configured.length > 0
      ? configured.map((p) => new RegExp(p, 'iu'))
      : [defaultMentionPattern(config.assistant.name)];
  return { providers, mentionPatterns, catchUpMs: config.session.catchUpMinutes * 60_000 };
}
