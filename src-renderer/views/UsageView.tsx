import * as Tabs from '@radix-ui/react-tabs';
import type { SenderUsage, SessionUsage, UsageReport } from '../../src-shared/domain/usage.js';
import { useApp } from '../state/store-context.js';

const fmt = (n: number): string => n.toLocaleString('en-US');

/** A share of a budget as a bar (a native meter: its value is read out, not only seen). */
function Budget(props: { used: number; budget: number | null; label: string }) {
  if (props.budget === null) return <span className="muted">no daily cap</span>;
  return (
    <span className="budget">
      <meter
        min={0}
        max={props.budget}
        low={props.budget * 0.75}
        high={props.budget * 0.9}
        optimum={0}
        value={Math.min(props.used, props.budget)}
        aria-label={props.label}
      />
      <span>
        {fmt(props.used)} / {fmt(props.budget)}
      </span>
    </span>
  );
}

function senderName(sender: SenderUsage): string {
  if (sender.owner) return 'You';
  return sender.name ? `${sender.name} (${sender.sender})` : sender.sender;
}

function SenderTable({ usage }: { usage: UsageReport }) {
  if (usage.senders.length === 0) return <p className="muted">No messages today.</p>;
  return (
    <table className="table" data-testid="usage-senders">
      <thead>
        <tr>
          <th scope="col">Sender</th>
          <th scope="col">Tokens against the daily budget</th>
          <th scope="col">Model calls</th>
          <th scope="col">Messages</th>
          <th scope="col">Dropped by limits</th>
        </tr>
      </thead>
      <tbody>
        {usage.senders.map((sender) => (
          <tr key={sender.sender} data-testid="usage-sender-row">
            <td>
              {senderName(sender)}
              {sender.exhausted && (
                <strong className="text-danger"> — used up until midnight</strong>
              )}
            </td>
            <td>
              <Budget
                used={sender.tokens}
                budget={sender.dailyTokens}
                label={`${senderName(sender)}: tokens used of the daily budget`}
              />
            </td>
            <td>{fmt(sender.modelCalls)}</td>
            <td>{fmt(sender.messages)}</td>
            <td>{fmt(sender.dropped)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function SessionTable({ sessions }: { sessions: readonly SessionUsage[] }) {
  if (sessions.length === 0) return <p className="muted">No session used the model today.</p>;
  return (
    <table className="table" data-testid="usage-sessions">
      <thead>
        <tr>
          <th scope="col">Session</th>
          <th scope="col">Tokens</th>
          <th scope="col">Model calls</th>
          <th scope="col">Messages</th>
          <th scope="col">Senders</th>
        </tr>
      </thead>
      <tbody>
        {sessions.map((session) => (
          <tr key={session.sessionKey}>
            <td>
              <code>{session.sessionKey}</code>
            </td>
            <td>{fmt(session.tokens)}</td>
            <td>{fmt(session.modelCalls)}</td>
            <td>{fmt(session.messages)}</td>
            <td>{session.senders.join(', ')}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * Today's model use per sender and per session against the limits in force: the dashboard's
 * usage card at full length (`clawdbot usage` prints the same).
 */
export function UsageView() {
  const usage = useApp((s) => s.snapshot?.usage);
  return (
    <div className="stack" data-testid="usage-view">
      <section className="card" aria-labelledby="usage-title">
        <header className="card__header">
          <h2 id="usage-title">Usage today</h2>
          {usage && <span className="muted">{usage.day}</span>}
        </header>
        {!usage ? (
          <p className="muted">Usage could not be read yet.</p>
        ) : (
          <>
            <p>
              Everyone together:{' '}
              <Budget
                used={usage.total.tokens}
                budget={usage.total.dailyTokens}
                label="Everyone: tokens used of the daily budget"
              />{' '}
              tokens, {fmt(usage.total.modelCalls)} model calls, {fmt(usage.total.messages)}{' '}
              messages
              {usage.total.dropped > 0 && `, ${fmt(usage.total.dropped)} dropped by limits`}.
            </p>
            <Tabs.Root defaultValue="senders">
              <Tabs.List className="tabs" aria-label="Usage by">
                <Tabs.Trigger className="tabs__trigger" value="senders">
                  By sender
                </Tabs.Trigger>
                <Tabs.Trigger className="tabs__trigger" value="sessions">
                  By session
                </Tabs.Trigger>
              </Tabs.List>
              <Tabs.Content value="senders" className="tabs__panel">
                <SenderTable usage={usage} />
              </Tabs.Content>
              <Tabs.Content value="sessions" className="tabs__panel">
                <SessionTable sessions={usage.sessions} />
              </Tabs.Content>
            </Tabs.Root>
            {usage.estimated && (
              <p className="muted">
                Some tokens are estimated: the model server did not report what it used.
              </p>
            )}
          </>
        )}
      </section>
    </div>
  );
}
