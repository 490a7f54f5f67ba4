import { useId, useState, type ReactNode } from 'react';
import type { ConfigPath } from '../../../src-shared/domain/config-edit.js';
import { formatConfigPath } from '../../../src-shared/domain/config-edit.js';
import type { ConfigDraft } from './use-config-draft.js';

/** How a field is edited. */
export type FieldKind =
  | { type: 'select'; options: readonly { value: string; label: string }[] }
  | { type: 'boolean' }
  /** `nullable`: an empty box means "no limit" (null). */
  | { type: 'number'; nullable?: boolean; unit?: string }
  /** `optional`: an empty box removes the key (the default applies). */
  | { type: 'text'; optional?: boolean; placeholder?: string }
  /** One entry per line. */
  | { type: 'list'; placeholder?: string };

/** One config field in a form: label, control, help, and its validation problems beside it. */
export function SettingsField(props: {
  draft: ConfigDraft;
  path: ConfigPath;
  label: string;
  kind: FieldKind;
  help?: ReactNode;
}) {
  const { draft, path, kind } = props;
  const id = useId();
  const key = formatConfigPath(path);
  const issues = draft.issuesFor(path);
  const current = draft.value(path);
  const describedBy = [props.help ? `${id}-help` : null, issues.length > 0 ? `${id}-error` : null]
    .filter(Boolean)
    .join(' ');
  const common = {
    id,
    'aria-invalid': issues.length > 0 ? true : undefined,
    'aria-describedby': describedBy || undefined,
    'data-config-path': key,
  } as const;

  return (
    <div className={`settings-field${issues.length > 0 ? ' settings-field--invalid' : ''}`}>
      {kind.type === 'boolean' ? (
        <div className="settings-field__check">
          <input
            {...common}
            type="checkbox"
            checked={current === true}
            onChange={(event) => draft.set(path, event.target.checked)}
          />
          <label htmlFor={id}>{props.label}</label>
        </div>
      ) : (
        <>
          <label htmlFor={id}>{props.label}</label>
          <FieldControl common={common} draft={draft} path={path} kind={kind} current={current} />
        </>
      )}
      {props.help && (
        <p id={`${id}-help`} className="settings-field__help">
          {props.help}
        </p>
      )}
      {issues.length > 0 && (
        <ul id={`${id}-error`} className="settings-field__error" data-testid="field-error">
          {issues.map((issue) => (
            <li key={`${issue.path}:${issue.message}`}>{issue.message}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

function FieldControl(props: {
  common: Record<string, unknown>;
  draft: ConfigDraft;
  path: ConfigPath;
  kind: Exclude<FieldKind, { type: 'boolean' }>;
  current: unknown;
}) {
  const { common, draft, path, kind, current } = props;
  switch (kind.type) {
    case 'select':
      return (
        <select
          {...common}
          value={typeof current === 'string' ? current : ''}
          onChange={(event) => draft.set(path, event.target.value)}
        >
          {kind.options.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      );
    case 'number':
      return (
        <span className="settings-field__number">
          <NumberInput common={common} draft={draft} path={path} kind={kind} current={current} />
          {kind.unit && <span className="muted">{kind.unit}</span>}
        </span>
      );
    case 'text':
      return (
        <input
          {...common}
          type="text"
          placeholder={kind.placeholder}
          value={typeof current === 'string' ? current : ''}
          onChange={(event) => {
            const text = event.target.value;
            if (kind.optional && text.trim() === '') draft.unset(path);
            else draft.set(path, text);
          }}
        />
      );
    case 'list':
      return (
        <textarea
          {...common}
          rows={3}
          placeholder={kind.placeholder}
          value={Array.isArray(current) ? current.join('\n') : ''}
          onChange={(event) =>
            draft.set(
              path,
              event.target.value
                .split('\n')
                .map((line) => line.trim())
                .filter((line) => line !== ''),
            )
          }
        />
      );
    default: {
      const unreachable: never = kind;
      return unreachable;
    }
  }
}

/**
 * A number box that keeps what the owner typed while it is not yet a number ("1e", "-"), and
 * sends the schema a number (or the text, so the schema names what is wrong with it).
 */
function NumberInput(props: {
  common: Record<string, unknown>;
  draft: ConfigDraft;
  path: ConfigPath;
  kind: Extract<FieldKind, { type: 'number' }>;
  current: unknown;
}) {
  const { common, draft, path, kind, current } = props;
  const shown = typeof current === 'number' || typeof current === 'string' ? String(current) : '';
  const [text, setText] = useState<string | null>(null);
  return (
    <input
      {...common}
      type="text"
      inputMode="decimal"
      placeholder={kind.nullable ? 'no limit' : undefined}
      value={text ?? shown}
      onBlur={() => setText(null)}
      onChange={(event) => {
        const typed = event.target.value;
        setText(typed);
        if (typed.trim() === '') {
          if (kind.nullable) draft.set(path, null);
          else draft.set(path, typed);
          return;
        }
        const number = Number(typed);
        draft.set(path, Number.isFinite(number) ? number : typed);
      }}
    />
  );
}
