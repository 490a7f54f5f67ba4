import { useState, type FormEvent } from 'react';
import type { ModelStatus } from '../../src-shared/domain/model-status.js';
import { useStore } from 'zustand';
import { modelStoreFor, type ModelStore } from '../state/model-store.js';
import { useApp, useTransport } from '../state/store-context.js';
import { formatTime } from './format.js';

function KeyForm({ onSave }: { onSave: (key: string) => Promise<boolean> }) {
  const [key, setKey] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (await onSave(key)) setKey('');
  };
  return (
    <form className="model-key-form" onSubmit={(event) => void submit(event)}>
      <label>
        API key
        <input
          type="password"
          autoComplete="off"
          value={key}
          minLength={8}
          onChange={(event) => setKey(event.target.value)}
          data-testid="model-key-input"
        />
      </label>
      <button type="submit" disabled={key.trim().length < 8}>
        Save in keychain
      </button>
    </form>
  );
}

function KeyLine({ status }: { status: ModelStatus }) {
  const keyEnv = status.model?.keyEnv ?? '';
  switch (status.keySource) {
    case 'env':
      return <p>Key: from the environment ({keyEnv}).</p>;
    case 'keychain':
      return <p>Key: stored in the OS keychain; the gateway uses it at once.</p>;
    case 'none':
      return status.keyOptional ? (
        <p>No key set: fine for a local server that needs none.</p>
      ) : (
        <p className="notice notice--warn" data-testid="model-no-key">
          No API key: set {keyEnv} in the environment
          {status.keychain.available ? ' or store one below' : ''}. Until then every answer is an
          error.
        </p>
      );
  }
}

/**
 * The model: which one answers, and whether it can (a key). The key can be stored in the OS
 * keychain from here (desktop app); it is sent once and never shown again.
 */
export function ModelCard() {
  const transport = useTransport();
  return transport ? <ModelCardFor store={modelStoreFor(transport)} /> : null;
}

function ModelCardFor({ store }: { store: ModelStore }) {
  const status = useStore(store, (s) => s.status);
  const error = useStore(store, (s) => s.error);
  const saveKey = useStore(store, (s) => s.saveKey);
  const clearKey = useStore(store, (s) => s.clearKey);
  const config = useApp((s) => s.snapshot?.config ?? null);
  if (!status) return null;
  // The file is rejected and nothing valid was ever seen: the defaults (no model) are in force
  // because of the file, not because the owner left the model out — say that, not "add one".
  if (!status.model && config?.state === 'rejected') {
    return (
      <section className="card" aria-label="Model" data-testid="no-model-rejected">
        <h2>Model</h2>
        <p className="notice notice--warn">
          Your config file is rejected and no valid config was ever seen, so the safe defaults are
          in force: no model answers until the file is fixed.
        </p>
      </section>
    );
  }
  if (!status.model) {
    return (
      <section className="card" aria-label="Model" data-testid="no-model">
        <h2>Model</h2>
        <p className="notice notice--warn">
          No model is configured, so the assistant cannot answer. Messages from people you allowed
          still reach their sessions, and each conversation gets a short &ldquo;not
          configured&rdquo; reply at most once a minute.
        </p>
        <p className="muted">
          Add <code>agent.model</code> to the config, e.g.{' '}
          <code>
            {'{ agent: { model: { provider: "anthropic", name: "claude-sonnet-4-5" } } }'}
          </code>
          , or <code>provider: &quot;openai&quot;</code> with a <code>baseUrl</code> for Ollama, LM
          Studio or llama.cpp.
        </p>
      </section>
    );
  }
  return (
    <section className="card" aria-label="Model" data-testid="model-card">
      <h2>Model</h2>
      <p data-testid="model-name">
        {status.model.provider} / {status.model.name}
        {status.model.baseUrl && <span className="muted"> at {status.model.baseUrl}</span>}
      </p>
      {config?.state === 'last-good' && (
        // The file's edit did not take: this model is the one still answering, and the card
        // must say it comes from the last good config, not from the file as it reads now.
        <p className="muted" data-testid="model-last-good">
          From the last good config
          {config.lastGoodAt ? ` (${formatTime(config.lastGoodAt)})` : ''}: your config file is
          rejected, and this model keeps answering until it is fixed.
        </p>
      )}
      <KeyLine status={status} />
      {status.keychain.plaintext && (
        <p className="notice notice--warn" data-testid="keychain-plaintext">
          This system has no keyring: a stored key is only obfuscated on disk, not encrypted.
        </p>
      )}
      {status.keychain.available && status.keySource !== 'env' && <KeyForm onSave={saveKey} />}
      {status.keychain.stored && (
        <button type="button" onClick={() => void clearKey()}>
          Remove the stored key
        </button>
      )}
      {error && (
        <p className="notice notice--error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
