import { ConsoleComposer } from '../components/ConsoleComposer.js';
import { ConsoleMessageList } from '../components/ConsoleMessageList.js';
import { useGatewayUnavailableReason } from '../components/GatewayRequirement.js';
import { ModelCard } from '../components/ModelCard.js';
import { useApp } from '../state/store-context.js';

/**
 * The owner's console: a chat with the assistant, always in the `main` session — the way to try
 * Clawdbot before linking any messenger. It works only while the gateway runs, since the
 * assistant lives there.
 */
export function ConsoleView() {
  const messages = useApp((s) => s.consoleMessages);
  const unavailable = useGatewayUnavailableReason();

  return (
    <section className="card console" aria-label="Console" data-testid="console-view">
      <header className="console__header">
        <h2>Console</h2>
        <p className="muted" data-testid="console-session">
          You are the owner here: this is the main session.
        </p>
      </header>
      <ModelCard />
      {messages === null ? <p>Loading…</p> : <ConsoleMessageList messages={messages} />}
      <ConsoleComposer
        unavailable={
          unavailable === null ? null : `The assistant runs inside the gateway. ${unavailable}`
        }
      />
    </section>
  );
}
