import { useId, useState } from 'react';
import {
  DEFAULT_API_KEY_ENV,
  type ModelProvider,
} from '../../../src-shared/config/agent-schema.js';
import type { ConfigIssue } from '../../../src-shared/domain/config-edit.js';
import { DoctorChecks } from './DoctorChecks.js';
import type { SetupHandle } from './use-setup.js';

/**
 * Step 4: the model. Provider, name and base URL go to `agent.model` in the config file; the key
 * goes to the OS keychain in the desktop app, and stays in the environment in web mode (the step
 * names the variable). Then one cheap call checks it all.
 */
export function ModelStep({ setup }: { setup: SetupHandle }) {
  const [provider, setProvider] = useState<ModelProvider>('anthropic');
  const [name, setName] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  const [key, setKey] = useState('');
  const [issues, setIssues] = useState<ConfigIssue[]>([]);
  const [keychain, setKeychain] = useState<boolean | null>(null);
  const [saved, setSaved] = useState(false);
  const base = useId();
  const issueFor = (field: string) => issues.find((i) => i.path === `agent.model.${field}`);
  const field = (fieldName: string) => {
    const issue = issueFor(fieldName);
    return {
      id: `${base}-${fieldName}`,
      'aria-invalid': issue ? true : undefined,
      'aria-describedby': issue ? `${base}-${fieldName}-error` : undefined,
    } as const;
  };
  const error = (fieldName: string) => {
    const issue = issueFor(fieldName);
    return issue ? (
      <p id={`${base}-${fieldName}-error`} className="settings-field__error">
        {issue.message}
      </p>
    ) : null;
  };

  const save = async () => {
    setSaved(false);
    const model = {
      provider,
      name: name.trim(),
      ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}),
    };
    const result = await setup.call('config:save', {
      changes: [{ path: ['agent', 'model'], value: model }],
    });
    if (!result) return;
    setIssues(result.issues);
    if (!result.saved) return;
    const status = await setup.call('model:status', {});
    setKeychain(status?.keychain.available ?? false);
    if (key.trim() && status?.keychain.available) {
      if (!(await setup.call('modelkey:save', { key: key.trim() }))) return;
      setKey('');
    }
    setSaved(true);
  };

  return (
    <div className="stack">
      <form
        className="stack"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <div className="settings-field">
          <label htmlFor={`${base}-provider`}>Provider (API)</label>
          <select
            {...field('provider')}
            value={provider}
            onChange={(event) => setProvider(event.target.value as ModelProvider)}
          >
            <option value="anthropic">Anthropic</option>
            <option value="openai">OpenAI or compatible</option>
          </select>
          {error('provider')}
        </div>
        <div className="settings-field">
          <label htmlFor={`${base}-name`}>Model name</label>
          <input
            {...field('name')}
            value={name}
            onChange={(event) => setName(event.target.value)}
            data-testid="setup-model-name"
          />
          {error('name')}
        </div>
        <div className="settings-field">
          <label htmlFor={`${base}-baseUrl`}>Base URL (only for a compatible server)</label>
          <input
            {...field('baseUrl')}
            value={baseUrl}
            placeholder="the provider's own"
            onChange={(event) => setBaseUrl(event.target.value)}
            data-testid="setup-model-base-url"
          />
          {error('baseUrl')}
        </div>
        <div className="settings-field">
          <label htmlFor={`${base}-key`}>API key</label>
          <input
            id={`${base}-key`}
            type="password"
            autoComplete="off"
            value={key}
            onChange={(event) => setKey(event.target.value)}
            aria-describedby={`${base}-key-help`}
          />
          <p id={`${base}-key-help`} className="settings-field__help">
            The desktop app keeps it in the OS keychain. In web mode it is not taken here: set{' '}
            <code>{DEFAULT_API_KEY_ENV[provider]}</code> (or the variable{' '}
            <code>agent.model.apiKeyEnv</code> names) in the environment the supervisor starts with.
          </p>
        </div>
        <button type="submit" disabled={!name.trim()} data-testid="setup-model-save">
          Save the model
        </button>
      </form>
      {saved && (
        <p className="setup__ok" role="status" data-testid="setup-model-saved">
          Saved to the config file
          {keychain === false && key.trim()
            ? `; this supervisor has no keychain, so the key was not stored: put it in ${DEFAULT_API_KEY_ENV[provider]}`
            : ''}
          . Check it below with one short call.
        </p>
      )}
      <DoctorChecks ids={['model']} testId="setup-model-check" />
    </div>
  );
}
