import { useState } from 'react';
import {
  MAX_SECURITY_PROMPT_LENGTH,
  type SecurityPromptView,
} from '../../src-shared/domain/incident.js';

/**
 * Step 5: the editor for `agent.securityPrompt`, with the built-in rules read-only beside it.
 * Saving writes the config file (comments kept) and the gateway reloads it by itself.
 */
export function IncidentPrompt(props: {
  prompt: SecurityPromptView;
  saving: boolean;
  error: string | null;
  savedAt: number | null;
  onSave: (mode: 'extend' | 'replace', text: string) => void;
}) {
  const { prompt } = props;
  const [mode, setMode] = useState(prompt.mode);
  const [text, setText] = useState(prompt.text);
  // A save (or a reload) brings the file's value: start editing from it (adjusted during
  // render, React's pattern for state that follows a prop, rather than in an effect).
  const [shown, setShown] = useState(prompt);
  if (shown !== prompt) {
    setShown(prompt);
    setMode(prompt.mode);
    setText(prompt.text);
  }
  const changed = mode !== prompt.mode || text !== prompt.text;
  const blocked = prompt.configErrors.length > 0;

  return (
    <form
      className="incident-prompt"
      data-testid="incident-prompt"
      onSubmit={(event) => {
        event.preventDefault();
        props.onSave(mode, text);
      }}
    >
      {blocked && (
        <div className="notice notice--error" role="alert">
          The config file is invalid, so it cannot be saved from here:
          <ul>
            {prompt.configErrors.map((error) => (
              <li key={error}>{error}</li>
            ))}
          </ul>
        </div>
      )}
      <fieldset>
        <legend>Your rules</legend>
        <label>
          <input
            type="radio"
            name="incident-prompt-mode"
            value="extend"
            checked={mode === 'extend'}
            onChange={() => setMode('extend')}
          />{' '}
          Add to the built-in rules
        </label>{' '}
        <label>
          <input
            type="radio"
            name="incident-prompt-mode"
            value="replace"
            data-testid="incident-prompt-replace"
            checked={mode === 'replace'}
            onChange={() => setMode('replace')}
          />{' '}
          Replace them
        </label>
      </fieldset>
      <div className="incident-prompt__columns">
        <label className="incident-prompt__editor">
          Security prompt (<code>agent.securityPrompt</code> in {prompt.configPath})
          <textarea
            data-testid="incident-prompt-text"
            rows={10}
            maxLength={MAX_SECURITY_PROMPT_LENGTH}
            value={text}
            onChange={(event) => setText(event.target.value)}
          />
        </label>
        <div className="incident-prompt__defaults">
          <span id="incident-default-rules">
            Built-in rules{mode === 'replace' ? ' (replaced by yours)' : ''}
          </span>
          <pre aria-labelledby="incident-default-rules" data-testid="incident-default-rules">
            {prompt.defaultRules}
          </pre>
        </div>
      </div>
      {props.error && (
        <p className="notice notice--error" role="alert" data-testid="incident-prompt-error">
          {props.error}
        </p>
      )}
      {!prompt.commentsKept && (
        <p className="notice notice--warn" role="status">
          The config file was rewritten as formatted JSON: its comments could not be kept.
        </p>
      )}
      <button
        type="submit"
        data-testid="incident-prompt-save"
        disabled={blocked || props.saving || !changed}
      >
        {props.saving ? 'Saving…' : 'Save rules'}
      </button>
      {props.savedAt !== null && !changed && !props.error && (
        <span role="status" className="muted" data-testid="incident-prompt-saved">
          {' '}
          Saved; the gateway reloads its config by itself.
        </span>
      )}
    </form>
  );
}
