import * as Tabs from '@radix-ui/react-tabs';
import { useState, type ReactNode } from 'react';
import type { UsageHistory, UsageRange } from '../../src-shared/domain/usage-history.js';
import { UsageBudgetBar } from '../components/UsageBudgetBar.js';
import { formatCount } from '../components/format.js';
import { UsageHistoryChart } from '../components/UsageHistoryChart.js';
import { SenderUsageTable, SessionUsageTable } from '../components/UsageTables.js';
import { useApp } from '../state/store-context.js';
import { useQuery } from '../state/use-query.js';
import './usage.css';

const RANGE_TITLES: Record<UsageRange, string> = { today: 'Today', '30d': 'Last 30 days' };

const daily = (n: number | null): string =>
  n === null ? 'no daily cap' : `${formatCount(n)} tokens a day`;

/** One number of the summary: a big figure and what it counts. */
function Figure(props: { value: number; label: string; testId: string }) {
  return (
    <div className="usage-figure" data-testid={props.testId}>
      <span className="usage-figure__value">{formatCount(props.value)}</span>
      <span className="usage-figure__label">{props.label}</span>
    </div>
  );
}

function Summary({ history, today }: { history: UsageHistory; today: boolean }) {
  const { total, limits } = history;
  return (
    <section className="card usage-summary" aria-labelledby="usage-everyone">
      <header className="card__header">
        <h3 id="usage-everyone">Everyone together</h3>
        <span className="muted" data-testid="usage-span">
          {today ? history.to : `${history.from} to ${history.to}`}
        </span>
      </header>
      <div className="usage-summary__budget" data-testid="usage-total">
        <span className="usage-summary__what">
          {today ? 'Tokens today' : 'Busiest day'} against everyone’s daily budget
        </span>
        <UsageBudgetBar
          used={total.peakTokens}
          budget={total.dailyTokens}
          blocked={today && total.exhausted}
          label={`Everyone: ${today ? 'tokens today' : 'tokens on the busiest day'} of the daily budget`}
        />
        {total.exhausted && (
          <span className="usage-flag usage-flag--blocked">
            Everyone’s budget is used up: only you get answers until midnight
          </span>
        )}
        {!today && total.daysAtBudget > 0 && (
          <span className="usage-flag usage-flag--over">
            Reached on {total.daysAtBudget === 1 ? '1 day' : `${total.daysAtBudget} days`}
          </span>
        )}
      </div>
      <div className="usage-figures">
        <Figure value={total.tokens} label="tokens" testId="usage-total-tokens" />
        <Figure value={total.modelCalls} label="model calls" testId="usage-total-calls" />
        <Figure value={total.toolCalls} label="tool calls" testId="usage-total-tools" />
        <Figure value={total.messages} label="messages" testId="usage-total-messages" />
        <Figure value={total.dropped} label="dropped by limits" testId="usage-total-dropped" />
      </div>
      <p className="muted usage-summary__limits">
        Daily budgets: each sender {daily(limits.sender.dailyTokens)}, you{' '}
        {daily(limits.owner.dailyTokens)}, everyone together {daily(limits.dailyTokens)}. They reset
        at local midnight; change them in Settings under limits.
      </p>
      {history.estimated && (
        <p className="muted">Some tokens are estimated: the model server did not report them.</p>
      )}
    </section>
  );
}

function TableCard(props: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card" aria-labelledby={props.id}>
      <header className="card__header">
        <h3 id={props.id}>{props.title}</h3>
      </header>
      {props.children}
    </section>
  );
}

function RangePanel({ range }: { range: UsageRange }) {
  // Today's counts change with every model call: read the range again when they do.
  const pulse = useApp((s) => {
    const usage = s.snapshot?.usage;
    return usage ? `${usage.day}:${usage.total.tokens}:${usage.total.messages}` : '';
  });
  const history = useQuery('usage:history', { range }, pulse);
  const today = range === 'today';
  if (!history) {
    return (
      <p className="muted" data-testid="usage-loading">
        Reading usage…
      </p>
    );
  }
  const empty = history.senders.length === 0;
  return (
    <div className="stack" data-testid={`usage-panel-${range}`}>
      <Summary history={history} today={today} />
      {!today && (
        <section className="card" aria-labelledby="usage-chart-title">
          <header className="card__header">
            <h3 id="usage-chart-title">Per day</h3>
            <span className="muted">tokens, messages and tool calls</span>
          </header>
          {empty ? (
            <p className="muted">
              A bar per day will appear here once someone has used the model in these 30 days.
            </p>
          ) : (
            <UsageHistoryChart days={history.perDay} budget={history.total.dailyTokens} />
          )}
        </section>
      )}
      {empty ? (
        <section className="card" data-testid="usage-empty">
          <p>
            {today
              ? 'No one has used the model today.'
              : 'No one has used the model in the last 30 days.'}
          </p>
          <p className="muted">
            Each sender and each session will be listed here after their first message, with their
            tokens against the daily budget that applies to them.
          </p>
        </section>
      ) : (
        <div className="usage-tables">
          <TableCard id="usage-by-sender" title="By sender">
            <SenderUsageTable senders={history.senders} today={today} />
          </TableCard>
          <TableCard id="usage-by-session" title="By session">
            <SessionUsageTable sessions={history.sessions} today={today} />
          </TableCard>
        </div>
      )}
    </div>
  );
}

/**
 * Model use per sender and session, today or over the last 30 days, against the daily budgets
 * (`limits`), with a chart per day: what `clawdbot usage [--days 30]` prints.
 */
export function UsageView() {
  const [range, setRange] = useState<UsageRange>('today');
  return (
    <div className="stack usage-view" data-testid="usage-view">
      <Tabs.Root value={range} onValueChange={(value) => setRange(value as UsageRange)}>
        <header className="usage-view__header">
          <h2>Usage</h2>
          <Tabs.List className="tabs" aria-label="Period">
            {(['today', '30d'] as const).map((value) => (
              <Tabs.Trigger
                key={value}
                className="tabs__trigger"
                value={value}
                data-testid={`usage-range-${value}`}
              >
                {RANGE_TITLES[value]}
              </Tabs.Trigger>
            ))}
          </Tabs.List>
        </header>
        {(['today', '30d'] as const).map((value) => (
          <Tabs.Content key={value} value={value} className="tabs__panel">
            <RangePanel range={value} />
          </Tabs.Content>
        ))}
      </Tabs.Root>
    </div>
  );
}
