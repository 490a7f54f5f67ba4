import { useMemo } from 'react';
import { useStore } from 'zustand';
import { ConsoleComposer } from '../components/ConsoleComposer.js';
import { ConsoleMessageList } from '../components/ConsoleMessageList.js';
import { ConsoleModelLine } from '../components/ConsoleModelLine.js';
import { useGatewayUnavailableReason } from '../components/GatewayRequirement.js';
import { consoleEntries } from '../state/console-messages.js';
import {
  consoleTranscriptStoreFor,
  type ConsoleTranscriptStore,
} from '../state/console-transcript.js';
import { useApp, useTransport } from '../state/store-context.js';
import './console.css';

/**
 * The owner's console: a chat with the assistant, always in the `main` session — the way to try
 * Clawdbot before linking any messenger. Its history is the `main` transcript, so it survives
 * restarts. It works only while the gateway runs, since the assistant lives there.
 */
export function ConsoleView() {
  const transport = useTransport();
  return <ConsoleLayout store={transport ? consoleTranscriptStoreFor(transport) : null} />;
}

function ConsoleLayout({ store }: { store: ConsoleTranscriptStore | null }) {
  const unavailable = useGatewayUnavailableReason();
  return (
    <section className="card console" aria-label="Console" data-testid="console-view">
      <header className="console__header">
        <h2>Console</h2>
        <p className="muted" data-testid="console-session">
          You are the owner here: this is the main session.
        </p>
        <ConsoleModelLine />
      </header>
      {store ? <ConsoleHistory store={store} /> : <p>Loading…</p>}
      <ConsoleComposer
        unavailable={
          unavailable === null ? null : `The assistant runs inside the gateway. ${unavailable}`
        }
      />
    </section>
  );
}

function ConsoleHistory({ store }: { store: ConsoleTranscriptStore }) {
  const lines = useApp((s) => s.consoleMessages);
  const killSwitch = useApp((s) => s.snapshot?.killSwitch);
  const gatewayRunning = useApp((s) => s.snapshot?.gateway.state === 'running');
  const engine = useApp((s) => s.snapshot?.sandboxEngine);
  const events = useStore(store, (s) => s.events);
  const error = useStore(store, (s) => s.error);
  const killedAt = killSwitch?.engagedAt ?? killSwitch?.lastReport?.engagedAt ?? null;
  const entries = useMemo(
    () =>
      events === null || lines === null
        ? null
        : consoleEntries(events, lines, { killedAt, gatewayRunning }),
    [events, lines, killedAt, gatewayRunning],
  );
  if (entries === null) {
    return error ? (
      <p className="notice notice--error" role="alert">
        The conversation so far could not be read: {error}
      </p>
    ) : (
      <p className="console__empty">Loading…</p>
    );
  }
  return <ConsoleMessageList entries={entries} engine={engine} />;
}
