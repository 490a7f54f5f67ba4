import { formatCount } from './format.js';

/** How a use stands against its budget: what colour its bar gets and what it says. */
export type BudgetState = 'none' | 'under' | 'near' | 'over' | 'blocked';

/**
 * Where `used` stands against a daily `budget`: near from 90 %, over at the budget, blocked
 * when the budget stops model calls right now (today's, used up). Over is a warning, not a
 * danger: only what is stopped is shown in the danger colour.
 */
export function budgetState(used: number, budget: number | null, blocked: boolean): BudgetState {
  if (budget === null) return 'none';
  if (blocked) return 'blocked';
  if (used >= budget) return 'over';
  return used >= budget * 0.9 ? 'near' : 'under';
}

/**
 * Tokens against a daily budget as a bar and numbers ("1,200 / 1,000 · 120 %"), read out as a
 * meter by screen readers; no budget says so instead.
 */
export function UsageBudgetBar(props: {
  used: number;
  budget: number | null;
  /** The budget stops this row's model calls now. */
  blocked?: boolean;
  /** What the bar measures, for screen readers: "Ann: tokens today of the daily budget". */
  label: string;
}) {
  const { used, budget, label } = props;
  const state = budgetState(used, budget, props.blocked === true);
  if (budget === null) {
    return (
      <span className="usage-budget usage-budget--none" data-state={state}>
        {formatCount(used)} <span className="muted">· no daily cap</span>
      </span>
    );
  }
  const percent = Math.round((used / budget) * 100);
  const text = `${formatCount(used)} / ${formatCount(budget)} · ${percent} %`;
  return (
    <span className="usage-budget" data-state={state}>
      <span
        className="usage-budget__bar"
        role="meter"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={budget}
        aria-valuenow={Math.min(used, budget)}
        aria-valuetext={`${formatCount(used)} of ${formatCount(budget)} tokens, ${percent} percent`}
      >
        <span className="usage-budget__fill" style={{ width: `${Math.min(percent, 100)}%` }} />
      </span>
      <span className="usage-budget__text">{text}</span>
    </span>
  );
}
