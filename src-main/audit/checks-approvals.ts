import { broadEntryReason } from '../../src-shared/approvals/command-match.js';
import { configCheck, type Check } from './finding-helpers.js';

/** `agent.approvals.host: off`: host commands run without the owner's decision. */
export const checkApprovalsOff: Check = configCheck((config) => {
  if (config.agent.approvals.host !== 'off') return [];
  const elevated = config.agent.elevated.enabled;
  return [
    {
      id: 'approvals.off',
      severity: elevated ? 'high' : 'medium',
      title: elevated
        ? 'approvals are off while elevated is on'
        : 'host commands run without your approval',
      meaning: elevated
        ? 'With agent.approvals.host "off", the main session\'s commands run on this machine without asking you; only elevated turns of other people still ask. A manipulated model in your own chat runs whatever it was talked into.'
        : 'With agent.approvals.host "off", every command of your main session runs on this machine without asking you: a manipulated model runs whatever it was talked into.',
      fix: 'Set agent.approvals.host to "ask" (the default) or "allowlist".',
      fixable: false,
      path: 'agent.approvals.host',
    },
  ];
});

/** Allowlist entries broad enough to approve arbitrary code, and patterns that match everything. */
export const checkApprovalsAllowlist: Check = configCheck((config) =>
  config.agent.approvals.allowlist.flatMap((entry, index) => {
    const reason = broadEntryReason(entry);
    if (!reason) return [];
    const everything = reason.includes('every command');
    return [
      {
        id: everything ? 'approvals.allowlist-matches-all' : 'approvals.allowlist-broad',
        severity: 'high' as const,
        title: everything
          ? 'an approvals allowlist entry matches every command'
          : 'an approvals allowlist entry lets a shell or interpreter run anything',
        meaning: `agent.approvals.allowlist[${index}] (${entry.match} "${entry.command}", ${entry.where}): ${reason}, so commands it matches never reach you for approval.`,
        fix: 'Replace it with exact entries for the commands you mean, or remove it (`clawdbot approvals allowlist remove`).',
        fixable: false,
        path: `agent.approvals.allowlist[${index}]`,
      },
    ];
  }),
);
