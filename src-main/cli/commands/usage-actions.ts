import type { UsageReport } from '../../../src-shared/domain/usage.js';
import { limitsInForce } from '../../config/limits-in-force.js';
import { envClock } from '../../process/env-clock.js';
import { buildUsageReport, createUsageRepo, usageDay } from '../../store/usage-repo.js';
import type { CliContext } from '../cli-context.js';
import { withSessionsStore } from '../sessions-store.js';
import { formatTable } from '../table.js';
import { formatDuration } from '../../../src-shared/format/duration.js';

/** `clawdbot usage`: reads the database directly, so it works with no gateway running. */
export async function printUsage(context: CliContext, json: boolean): Promise<void> {
  const now = envClock(context.env)();
  const report = await withSessionsStore(context, ({ db }) => {
    // The limits a gateway runs on: while the file is invalid, the last good config's.
    const { limits, warning } = limitsInForce(context.config().current());
    if (warning) process.stderr.write(`warning: ${warning}\n`);
    return buildUsageReport(createUsageRepo(db).rows(usageDay(now).day), limits, now);
  });
  process.stdout.write(json ? `${JSON.stringify(report)}\n` : `${formatUsage(report, now)}\n`);
}

const fmt = (n: number): string => n.toLocaleString('en-US');

function budget(tokens: number, limit: number | null, exhausted: boolean): string {
  if (limit === null) return `${fmt(tokens)} (no budget)`;
  return `${fmt(tokens)} of ${fmt(limit)}${exhausted ? ' USED UP' : ''}`;
}

/** The report as a person reads it: everyone, then each sender and session, then the limits. */
export function formatUsage(report: UsageReport, now: number): string {
  const { total, limits } = report;
  const lines = [
    `Today (${report.day}); budgets reset at local midnight, in ${formatDuration(report.resetsAt - now)}`,
    `everyone: ${budget(total.tokens, total.dailyTokens, total.exhausted)} tokens, ${fmt(total.modelCalls)} model calls, ${fmt(total.messages)} messages (${fmt(total.dropped)} dropped by limits)`,
  ];
  if (report.estimated) {
    lines.push('(some tokens are estimated: the model server did not report what it used)');
  }
  if (report.senders.length > 0) {
    lines.push(
      '',
      formatTable(
        ['sender', 'tokens', 'calls', 'messages', 'dropped'],
        report.senders.map((s) => [
          s.owner ? 'you (owner)' : s.name ? `${s.name} (${s.sender})` : s.sender,
          budget(s.tokens, s.dailyTokens, s.exhausted),
          fmt(s.modelCalls),
          fmt(s.messages),
          fmt(s.dropped),
        ]),
      ),
      '',
      formatTable(
        ['session', 'tokens', 'calls', 'messages', 'dropped'],
        report.sessions.map((s) => [
          s.sessionKey,
          fmt(s.tokens),
          fmt(s.modelCalls),
          fmt(s.messages),
          fmt(s.dropped),
        ]),
      ),
    );
  } else {
    lines.push('', 'No messages today.');
  }
  const rate = (r: { messagesPerMinute: number | null; burst: number }): string =>
    r.messagesPerMinute === null
      ? 'no rate limit'
      : `${fmt(r.messagesPerMinute)} messages a minute (${fmt(r.burst)} at once)`;
  const daily = (n: number | null): string =>
    n === null ? 'no daily budget' : `${fmt(n)} tokens a day`;
  lines.push(
    '',
    `limits: each sender ${rate(limits.sender)}, ${daily(limits.sender.dailyTokens)}; you ${rate(limits.owner)}, ${daily(limits.owner.dailyTokens)}`,
    `        ${fmt(limits.maxQueuedPerSession)} messages waiting per session; ${fmt(limits.maxInboundChars)} characters per message`,
  );
  return lines.join('\n');
}
