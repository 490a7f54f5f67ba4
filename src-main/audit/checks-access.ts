import type { Config } from '../../src-shared/config/schema.js';
import type { Finding } from '../../src-shared/domain/audit.js';
import { MESSAGING_PROVIDERS, normalizeId } from '../../src-shared/domain/providers.js';
import { configCheck, listWords, type Check } from './finding-helpers.js';

/** `dmPolicy: "open"`: anyone who finds the bot can talk to it and use its tools. */
export const checkOpenDms: Check = configCheck((config) =>
  MESSAGING_PROVIDERS.filter((p) => config[p].dmPolicy === 'open').map((provider): Finding => ({
    id: 'dm.open',
    severity: 'high',
    title: `${provider} DMs are open to anyone`,
    meaning: `Any ${provider} user who finds the bot can message it and have the model run tools for them, with no pairing or allowlist in the way.`,
    fix: `Set ${provider}.dmPolicy to "pairing" (strangers get a code you approve) or "allowlist", and remove "*" from ${provider}.allowFrom.`,
    fixable: false,
    path: `${provider}.dmPolicy`,
  })),
);

/** `groupPolicy: "open"`: anyone in any group the bot sits in may trigger it. */
export const checkOpenGroups: Check = configCheck((config) =>
  MESSAGING_PROVIDERS.filter((p) => config[p].groupPolicy === 'open').map((provider): Finding => ({
    id: 'groups.policy-open',
    severity: 'medium',
    title: `anyone in a ${provider} group can trigger the bot`,
    meaning: `With ${provider}.groupPolicy "open", every member of every group the bot is added to can make it answer and run tools, not just the people you listed.`,
    fix: `Set ${provider}.groupPolicy to "allowlist" and list the members allowed to trigger it in ${provider}.groupAllowFrom (or "disabled" to ignore groups).`,
    fixable: true,
    path: `${provider}.groupPolicy`,
  })),
);

/**
 * `groupPolicy: "allowlist"` with an empty `groupAllowFrom` lets nobody but the owner trigger the
 * bot in groups. That is the safe default and stays so (the reference fell back to `allowFrom`
 * here); this explains it to an owner whose config shows groups are meant to be used (a listed
 * group, or a DM allowlist they may have expected to carry over) and who wonders why groups are
 * silent.
 */
export const checkEmptyGroupAllowlist: Check = configCheck((config) => {
  const findings: Finding[] = [];
  for (const provider of MESSAGING_PROVIDERS) {
    const access = config[provider];
    if (access.groupPolicy !== 'allowlist' || access.groupAllowFrom.length > 0) continue;
    const listedGroups = Object.values(access.groups).some((group) => group.enabled);
    const dmAllowed = access.allowFrom.some((id) => normalizeId(provider, id) !== '*');
    if (!listedGroups && !dmAllowed) continue;
    findings.push({
      id: 'groups.allowlist-empty',
      severity: 'info',
      title: `only you can trigger the bot in ${provider} groups`,
      meaning: `${provider}.groupPolicy is "allowlist" and ${provider}.groupAllowFrom is empty, so every group message from anyone but you is dropped; ${provider}.allowFrom is not used for groups (the original Clawdbot fell back to it).`,
      fix: `List the people who may trigger the bot in groups in ${provider}.groupAllowFrom (copy ids from ${provider}.allowFrom if you meant the same people), or set ${provider}.groupPolicy to "disabled" to say groups are off.`,
      fixable: false,
      path: `${provider}.groupAllowFrom`,
    });
  }
  return findings;
});

/** Groups answered without a mention: every message in them reaches the model. */
export const checkMentionGating: Check = configCheck((config) => {
  const findings: Finding[] = [];
  for (const provider of MESSAGING_PROVIDERS) {
    const access = config[provider];
    if (access.groupPolicy === 'disabled') continue;
    const ungated = Object.entries(access.groups)
      .filter(([, group]) => group.enabled && group.requireMention === false)
      .map(([id]) => id);
    if (ungated.length === 0) continue;
    const named = listWords(ungated.map((id) => (id === '*' ? 'every group ("*")' : `"${id}"`)));
    findings.push({
      id: 'groups.no-mention',
      // Open groups plus no mention means strangers' chatter all goes to the model.
      severity: access.groupPolicy === 'open' ? 'medium' : 'low',
      title: `${provider} groups answered without a mention`,
      meaning: `In ${named} the bot reacts to every message instead of only when mentioned, so anything said there (including text pasted from elsewhere) reaches the model and its tools.`,
      fix: `Remove requireMention: false from ${provider}.groups (mentions are required by default), or set it to true.`,
      fixable: false,
      path: `${provider}.groups`,
    });
  }
  return findings;
});

function elevatedWildcards(config: Config): string[] {
  return MESSAGING_PROVIDERS.filter((p) =>
    config.agent.elevated.allowFrom[p].some((id) => normalizeId(p, id) === '*'),
  );
}

/**
 * Elevated runs `bash` on the host. The three findings are exclusive on purpose: the worst that
 * applies is the one to act on, and fixing it reveals the next.
 */
export const checkElevated: Check = configCheck((config) => {
  if (!config.agent.elevated.enabled || config.agent.readOnlyMode) return [];
  const wildcards = elevatedWildcards(config);
  if (wildcards.length > 0) {
    return [
      {
        id: 'elevated.wildcard',
        severity: 'high',
        title: 'anyone who reaches the bot can run commands on the host',
        meaning: `agent.elevated.allowFrom lists "*" for ${listWords(wildcards)}, so any sender who gets through access control can switch elevated on and run shell commands outside the sandbox, as you.`,
        fix: `Replace "*" in agent.elevated.allowFrom.${wildcards[0]} with the ids of the people you trust with your machine, or set agent.elevated.enabled to false.`,
        fixable: false,
        path: `agent.elevated.allowFrom.${wildcards[0]}`,
      },
    ];
  }
  const groupProviders = MESSAGING_PROVIDERS.filter((p) => config[p].groupPolicy !== 'disabled');
  if (config.agent.elevated.groups && groupProviders.length > 0) {
    return [
      {
        id: 'elevated.groups',
        severity: 'high',
        title: 'elevated can be switched on in group chats',
        meaning: `agent.elevated.groups is true and groups are enabled on ${listWords(groupProviders)}, so a listed sender can have commands run on the host, outside the sandbox, from a chat where everyone else's messages reach the model too. Their elevated turns are shown only their messages and the assistant's, but the assistant's replies can still quote the others, and anything the host command reads is within reach of the group.`,
        fix: 'Set agent.elevated.groups to false (the default) and use elevated in a direct message.',
        fixable: false,
        path: 'agent.elevated.groups',
      },
    ];
  }
  return [
    {
      id: 'elevated.enabled',
      severity: 'low',
      title: 'elevated mode is enabled',
      meaning:
        'You and the senders in agent.elevated.allowFrom can have the model run shell commands on the host instead of in the sandbox.',
      fix: 'Set agent.elevated.enabled to false unless you need host commands from chat.',
      fixable: false,
      path: 'agent.elevated.enabled',
    },
  ];
});
