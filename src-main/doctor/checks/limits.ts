import type { Config } from '../../../src-shared/config/schema.js';
import { limitsInForce } from '../../config/limits-in-force.js';
import { defineCheck } from '../doctor-context.js';

const count = (n: number): string => n.toLocaleString('en-US');

function elevated(config: Config): string {
  const { enabled, allowFrom, groups } = config.agent.elevated;
  if (!enabled) return 'elevated (host bash) off';
  const listed = Object.values(allowFrom).flat();
  const who = listed.includes('*')
    ? 'anyone who reaches the bot'
    : `you and ${listed.length} listed sender${listed.length === 1 ? '' : 's'}`;
  return `elevated (host bash) ON for ${who}${groups ? ', in groups too' : ''}`;
}

/** The exec approvals in force, in the words the README uses for `agent.approvals`. */
function approvals(config: Config): string {
  const { host, sandbox, timeoutSec, allowlist } = config.agent.approvals;
  const listed = `${allowlist.length} allowlist entr${allowlist.length === 1 ? 'y' : 'ies'}`;
  const onHost =
    host === 'ask'
      ? `host commands wait for your decision unless allowlisted (${listed}; denied after ${timeoutSec} s)`
      : host === 'allowlist'
        ? `host commands not on the allowlist are denied without asking (${listed})`
        : 'exec approvals OFF: host commands of your own session and elevated turns run without asking';
  return `${onHost}; sandboxed commands ${sandbox === 'ask' ? 'wait for your decision too' : 'run without asking'}`;
}

function rate(r: { messagesPerMinute: number | null; burst: number }): string {
  return r.messagesPerMinute === null
    ? 'no rate limit'
    : `${count(r.messagesPerMinute)}/min (burst ${count(r.burst)})`;
}

function daily(tokens: number | null): string {
  return tokens === null ? 'no daily budget' : `${count(tokens)} tokens/day`;
}

/**
 * What stops a manipulated model from costing or doing too much: the elevated escape hatch and
 * the limits of the config in force, and the exec approvals that make host commands wait for
 * the owner. Informational: whether approvals off is acceptable is the security audit's call.
 */
export const checkLimits = defineCheck('limits', 'Approvals and limits', (_context, facts, o) => {
  const { limits, warning } = limitsInForce(facts.config);
  const config = facts.config.config;
  const parts = [
    elevated(config),
    `each sender ${rate(limits.sender)}, ${daily(limits.sender.dailyTokens)}`,
    `you ${rate(limits.owner)}, ${daily(limits.owner.dailyTokens)}`,
    `everyone ${daily(limits.dailyTokens)}`,
    `${count(limits.maxQueuedPerSession)} queued per session, ${count(limits.maxInboundChars)} characters per message`,
    approvals(config),
  ];
  const summary = `${parts.join('; ')}${warning ? ` (${warning})` : ''}`;
  return o.info(summary);
});
