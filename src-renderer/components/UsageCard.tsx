import type { SenderUsage, UsageReport } from '../../src-shared/domain/usage.js';
import { useApp } from '../state/store-context.js';
import { formatCount } from './format.js';

const fmt = formatCount;

/** Tokens against a budget, as the card shows them: "1,200 / 200,000 tokens". */
function againstBudget(tokens: number, budget: number | null): string {
  return budget === null ? `${fmt(tokens)} tokens` : `${fmt(tokens)} / ${fmt(budget)} tokens`;
}

function senderLabel(sender: SenderUsage): string {
  if (sender.owner) return 'You';
  return sender.name ? `${sender.name} (${sender.sender})` : sender.sender;
}

// The busiest few: the card is a glance; `clawdbot usage` lists everyone.
const SHOWN_SENDERS = 5;

function UsageBody({ usage }: { usage: UsageReport }) {
  const { total } = usage;
  return (
    <>
      <p data-testid="usage-total">
        Everyone: {againstBudget(total.tokens, total.dailyTokens)}, {fmt(total.modelCalls)} model
        calls
        {total.dropped > 0 && `, ${fmt(total.dropped)} messages dropped by limits`}
        {total.exhausted && <strong> — budget used up</strong>}
      </p>
      {usage.senders.length === 0 ? (
        <p className="card__message">No messages today.</p>
      ) : (
        <ul className="usage-senders">
          {usage.senders.slice(0, SHOWN_SENDERS).map((sender) => (
            <li key={sender.sender} data-testid="usage-sender">
              {senderLabel(sender)}: {againstBudget(sender.tokens, sender.dailyTokens)}
              {sender.dropped > 0 && `, ${fmt(sender.dropped)} dropped`}
              {sender.exhausted && <strong> — used up until midnight</strong>}
            </li>
          ))}
        </ul>
      )}
      {usage.estimated && (
        <p className="card__message">
          Some tokens are estimated: the model server did not report what it used.
        </p>
      )}
    </>
  );
}

/** Today's model use per sender against the daily budgets (`limits`), live from the supervisor. */
export function UsageCard() {
  const usage = useApp((s) => s.snapshot?.usage);
  if (!usage) return null;
  return (
    <section className="card" aria-label="Usage today" data-testid="usage-card">
      <header className="card__header">
        <h2>Usage today</h2>
        <span>{usage.day}</span>
      </header>
      <UsageBody usage={usage} />
    </section>
  );
}
