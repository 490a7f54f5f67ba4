import { useStore } from 'zustand';
import type { ModelStatus } from '../../src-shared/domain/model-status.js';
import { modelStoreFor, type ModelStore } from '../state/model-store.js';
import { useTransport } from '../state/store-context.js';

/**
 * Which model answers in the console, in one line: the full card (keys, keychain) lives on the
 * dashboard, so here it never pushes the composer down. What stops an answer is still said.
 */
export function ConsoleModelLine() {
  const transport = useTransport();
  return transport ? <ConsoleModelLineFor store={modelStoreFor(transport)} /> : null;
}

function problem(status: ModelStatus): string | null {
  if (!status.model) {
    return 'No model is configured, so the assistant cannot answer: set one up in Settings.';
  }
  if (status.keySource === 'none' && !status.keyOptional) {
    return `No API key: set ${status.model.keyEnv} (see the dashboard). Until then every answer is an error.`;
  }
  return null;
}

function ConsoleModelLineFor({ store }: { store: ModelStore }) {
  const status = useStore(store, (s) => s.status);
  if (!status) return null;
  const trouble = problem(status);
  return (
    <p className="console__model" data-testid="console-model">
      {status.model && (
        <span data-testid="model-name">
          <span className="muted">Model:</span> {status.model.provider} / {status.model.name}
        </span>
      )}
      {trouble && (
        <span
          className="notice notice--warn console__model-problem"
          data-testid="console-model-problem"
        >
          {trouble}
        </span>
      )}
    </p>
  );
}
