import { ArrowDown, ArrowUp } from 'lucide-react';
import { useState, type ReactNode } from 'react';
import type { SenderHistory, SessionHistory } from '../../src-shared/domain/usage-history.js';
import { UsageBudgetBar } from './UsageBudgetBar.js';
import { formatCount } from './format.js';

/** A column a usage table sorts by, and which way. */
interface Sort<K extends string> {
  key: K;
  descending: boolean;
}

/** One column of a sortable usage table. */
interface Column<T, K extends string> {
  key: K;
  title: string;
  /** The value sorted by; strings sort alphabetically, numbers most first. */
  value: (row: T) => number | string;
  cell: (row: T) => ReactNode;
  /** Hidden on narrow screens (the numbers are in the other columns or the summary). */
  minor?: boolean;
}

function sorted<T, K extends string>(
  rows: readonly T[],
  columns: readonly Column<T, K>[],
  sort: Sort<K>,
): T[] {
  const column = columns.find((c) => c.key === sort.key);
  if (!column) return [...rows];
  const order = (a: T, b: T): number => {
    const x = column.value(a);
    const y = column.value(b);
    const ascending =
      typeof x === 'number' && typeof y === 'number' ? x - y : String(x).localeCompare(String(y));
    return sort.descending ? -ascending : ascending;
  };
  return [...rows].sort(order);
}

/**
 * A table whose column headers sort it (a button each; the header says which way through
 * `aria-sort`). Numbers sort most first on the first press, names A to Z.
 */
function SortableTable<T, K extends string>(props: {
  caption: string;
  rows: readonly T[];
  columns: readonly Column<T, K>[];
  initial: Sort<K>;
  rowKey: (row: T) => string;
  testId: string;
  rowTestId: string;
}) {
  const [sort, setSort] = useState<Sort<K>>(props.initial);
  const press = (column: Column<T, K>) => {
    const numeric = props.rows.length > 0 && typeof column.value(props.rows[0]!) === 'number';
    setSort((current) =>
      current.key === column.key
        ? { key: column.key, descending: !current.descending }
        : { key: column.key, descending: numeric },
    );
  };
  return (
    <div className="usage-table">
      <table className="table" data-testid={props.testId}>
        <caption className="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((column) => {
              const active = sort.key === column.key;
              return (
                <th
                  key={column.key}
                  scope="col"
                  className={column.minor ? 'usage-table__minor' : undefined}
                  aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
                >
                  <button
                    type="button"
                    className="usage-table__sort"
                    data-testid={`${props.testId}-sort-${column.key}`}
                    onClick={() => press(column)}
                  >
                    {column.title}
                    {active &&
                      (sort.descending ? (
                        <ArrowDown aria-hidden="true" size={14} />
                      ) : (
                        <ArrowUp aria-hidden="true" size={14} />
                      ))}
                  </button>
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          {sorted(props.rows, props.columns, sort).map((row) => (
            <tr key={props.rowKey(row)} data-testid={props.rowTestId}>
              {props.columns.map((column) => (
                <td
                  key={column.key}
                  className={column.minor ? 'usage-table__minor' : undefined}
                  data-column={column.key}
                >
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Who a sender is to the owner: "You", or their label, then the name they go by and the id. */
export function senderWho(sender: SenderHistory): { title: string; detail: string | null } {
  if (sender.owner) return { title: 'You', detail: null };
  const names = [...new Set([sender.label, sender.name].filter((n): n is string => !!n))];
  if (names.length === 0) return { title: sender.sender, detail: null };
  return { title: names.join(' · '), detail: sender.sender };
}

function AtBudget(props: { days: number; today: boolean; blocked: boolean }) {
  if (props.blocked) {
    return <span className="usage-flag usage-flag--blocked">Blocked until midnight</span>;
  }
  if (props.today || props.days === 0) return null;
  return (
    <span className="usage-flag usage-flag--over">
      Reached the budget on {props.days === 1 ? '1 day' : `${props.days} days`}
    </span>
  );
}

/** What a budget column needs of a row. */
type AgainstBudget = Pick<SenderHistory, 'peakTokens' | 'dailyTokens' | 'daysAtBudget'>;

/** A column of plain counts, sorted most first. */
function countColumn<T, K extends string>(
  key: K,
  title: string,
  count: (row: T) => number,
  minor = false,
): Column<T, K> {
  return { key, title, value: count, cell: (row) => formatCount(count(row)), minor };
}

/**
 * The column of a row's tokens against its daily budget (today's, or the busiest day's), with
 * the days it reached the budget; sorted by the share used.
 */
function budgetColumn<T extends AgainstBudget, K extends string>(
  key: K,
  today: boolean,
  name: (row: T) => string,
  blocked: (row: T) => boolean,
): Column<T, K> {
  return {
    key,
    title: today ? 'Today against the daily budget' : 'Busiest day against the daily budget',
    value: (row) => (row.dailyTokens === null ? -1 : row.peakTokens / row.dailyTokens),
    cell: (row) => (
      <span className="usage-against">
        <UsageBudgetBar
          used={row.peakTokens}
          budget={row.dailyTokens}
          blocked={today && blocked(row)}
          label={`${name(row)}: ${today ? 'tokens today' : 'tokens on the busiest day'} of the daily budget`}
        />
        <AtBudget days={row.daysAtBudget} today={today} blocked={blocked(row)} />
      </span>
    ),
  };
}

type SenderKey = 'who' | 'tokens' | 'budget' | 'calls' | 'messages' | 'dropped';

/** Each sender's tokens over the range against their daily budget, sortable. */
export function SenderUsageTable(props: { senders: readonly SenderHistory[]; today: boolean }) {
  const columns: Column<SenderHistory, SenderKey>[] = [
    {
      key: 'who',
      title: 'Sender',
      value: (s) => senderWho(s).title.toLowerCase(),
      cell: (s) => {
        const who = senderWho(s);
        return (
          <span className="usage-who">
            <strong>{who.title}</strong>
            {who.detail && <span className="muted usage-who__id">{who.detail}</span>}
          </span>
        );
      },
    },
    countColumn('tokens', 'Tokens', (s) => s.tokens),
    budgetColumn(
      'budget',
      props.today,
      (s) => senderWho(s).title,
      (s) => s.exhausted,
    ),
    countColumn('calls', 'Model calls', (s) => s.modelCalls, true),
    countColumn('messages', 'Messages', (s) => s.messages),
    countColumn('dropped', 'Dropped by limits', (s) => s.dropped, true),
  ];
  return (
    <SortableTable
      caption="Usage by sender"
      rows={props.senders}
      columns={columns}
      initial={{ key: 'tokens', descending: true }}
      rowKey={(s) => s.sender}
      testId="usage-senders"
      rowTestId="usage-sender-row"
    />
  );
}

type SessionKey = 'session' | 'tokens' | 'budget' | 'calls' | 'tools' | 'messages';

/** Each session's tokens over the range against the budget it runs under, sortable. */
export function SessionUsageTable(props: { sessions: readonly SessionHistory[]; today: boolean }) {
  const columns: Column<SessionHistory, SessionKey>[] = [
    {
      key: 'session',
      title: 'Session',
      value: (s) => (s.title ?? s.sessionKey).toLowerCase(),
      cell: (s) => (
        <span className="usage-who">
          {s.title && <strong>{s.title}</strong>}
          <code className="usage-who__id">{s.sessionKey}</code>
        </span>
      ),
    },
    countColumn('tokens', 'Tokens', (s) => s.tokens),
    // A session is never stopped by a budget of its own: its sender (or everyone) is.
    budgetColumn(
      'budget',
      props.today,
      (s) => s.title ?? s.sessionKey,
      () => false,
    ),
    countColumn('calls', 'Model calls', (s) => s.modelCalls, true),
    countColumn('tools', 'Tool calls', (s) => s.toolCalls),
    countColumn('messages', 'Messages', (s) => s.messages, true),
  ];
  return (
    <SortableTable
      caption="Usage by session"
      rows={props.sessions}
      columns={columns}
      initial={{ key: 'tokens', descending: true }}
      rowKey={(s) => s.sessionKey}
      testId="usage-sessions"
      rowTestId="usage-session-row"
    />
  );
}
