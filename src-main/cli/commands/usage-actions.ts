import type { LimitsConfig } from '../../../src-shared/config/limits-schema.js';
import type { UsageReport } from '../../../src-shared/domain/usage.js';
import type { SenderHistory, UsageHistory } from '../../../src-shared/domain/usage-history.js';
import { buildAllowlistOverview } from '../../access/allowlist-overview.js';
import { senderLookup } from '../../access/sender-lookup.js';
import { limitsInForce } from '../../config/limits-in-force.js';
import { envClock } from '../../process/env-clock.js';
import { createAllowlistNotesRepo } from '../../store/allowlist-notes-repo.js';
import { createAllowlistRepo } from '../../store/allowlist-repo.js';
import { readUsageHistory } from '../../store/usage-history.js';
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

/**
 * `clawdbot usage --days N`: the last N local days per day, sender (with the allowlist's label
 * and name) and session, read from the database directly like `clawdbot usage`.
 */
export async function printUsageHistory(
  context: CliContext,
  days: number,
  json: boolean,
): Promise<void> {
  const now = envClock(context.env)();
  const history = await withSessionsStore(context, ({ db }) => {
    const config = context.config().current();
    const { limits, warning } = limitsInForce(config);
    if (warning) process.stderr.write(`warning: ${warning}\n`);
    const overview = buildAllowlistOverview(
      config,
      createAllowlistRepo(db),
      createAllowlistNotesRepo(db).list(),
    );
    return readUsageHistory(createUsageRepo(db), limits, now, days, senderLookup(overview));
  });
  process.stdout.write(json ? `${JSON.stringify(history)}\n` : `${formatUsageHistory(history)}\n`);
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
  lines.push('', ...formatLimits(limits));
  return lines.join('\n');
}

/** The limits in force, in two lines. */
function formatLimits(limits: LimitsConfig): string[] {
  const rate = (r: { messagesPerMinute: number | null; burst: number }): string =>
    r.messagesPerMinute === null
      ? 'no rate limit'
      : `${fmt(r.messagesPerMinute)} messages a minute (${fmt(r.burst)} at once)`;
  const daily = (n: number | null): string =>
    n === null ? 'no daily budget' : `${fmt(n)} tokens a day`;
  return [
    `limits: each sender ${rate(limits.sender)}, ${daily(limits.sender.dailyTokens)}; you ${rate(limits.owner)}, ${daily(limits.owner.dailyTokens)}; everyone ${daily(limits.dailyTokens)}`,
    `        ${fmt(limits.maxQueuedPerSession)} messages waiting per session; ${fmt(limits.maxInboundChars)} characters per message`,
  ];
}

/** The busiest day against a daily budget: "1,200 of 1,000 (2 days at budget)". */
function peak(row: {
  peakTokens: number;
  dailyTokens: number | null;
  daysAtBudget: number;
}): string {
  if (row.dailyTokens === null) return `${fmt(row.peakTokens)} (no budget)`;
  const days = row.daysAtBudget === 1 ? '1 day' : `${fmt(row.daysAtBudget)} days`;
  return `${fmt(row.peakTokens)} of ${fmt(row.dailyTokens)}${row.daysAtBudget > 0 ? ` (${days} at budget)` : ''}`;
}

/** Who a sender is to the owner: their label, the name they go by, and their id. */
export function senderTitle(
  sender: Pick<SenderHistory, 'owner' | 'label' | 'name' | 'sender'>,
): string {
  if (sender.owner) return 'you (owner)';
  const names = [sender.label, sender.name].filter((n): n is string => n !== null && n !== '');
  return names.length > 0 ? `${[...new Set(names)].join(', ')} (${sender.sender})` : sender.sender;
}

/** The history as a person reads it: everyone, each day, each sender and session, the limits. */
export function formatUsageHistory(history: UsageHistory): string {
  const { total } = history;
  const span =
    history.days === 1
      ? `Today (${history.to})`
      : `Last ${fmt(history.days)} days (${history.from} to ${history.to})`;
  const lines = [
    `${span}; budgets are daily and reset at local midnight`,
    `everyone: ${fmt(total.tokens)} tokens, ${fmt(total.modelCalls)} model calls, ${fmt(total.toolCalls)} tool calls, ${fmt(total.messages)} messages (${fmt(total.dropped)} dropped by limits); busiest day ${peak(total)}`,
  ];
  if (history.estimated) {
    lines.push('(some tokens are estimated: the model server did not report what it used)');
  }
  lines.push(
    '',
    formatTable(
      ['day', 'tokens', 'calls', 'tool calls', 'messages', 'dropped'],
      history.perDay.map((d) => [
        d.day,
        fmt(d.tokens),
        fmt(d.modelCalls),
        fmt(d.toolCalls),
        fmt(d.messages),
        fmt(d.dropped),
      ]),
    ),
  );
  if (history.senders.length === 0) {
    lines.push('', history.days === 1 ? 'No messages today.' : 'No messages in these days.');
  } else {
    lines.push(
      '',
      formatTable(
        ['sender', 'tokens', 'busiest day', 'calls', 'messages', 'dropped'],
        history.senders.map((s) => [
          senderTitle(s),
          fmt(s.tokens),
          `${peak(s)}${s.exhausted ? ' USED UP today' : ''}`,
          fmt(s.modelCalls),
          fmt(s.messages),
          fmt(s.dropped),
        ]),
      ),
      '',
      formatTable(
        ['session', 'tokens', 'busiest day', 'calls', 'tool calls', 'messages'],
        history.sessions.map((s) => [
          s.title ? `${s.sessionKey} (${s.title})` : s.sessionKey,
          fmt(s.tokens),
          peak(s),
          fmt(s.modelCalls),
          fmt(s.toolCalls),
          fmt(s.messages),
        ]),
      ),
    );
  }
  lines.push('', ...formatLimits(history.limits));
  return lines.join('\n');
}
