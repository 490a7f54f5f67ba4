import { Check, Eye, Save, Undo2 } from 'lucide-react';
import type { ConfigDiffEntry } from '../../../src-shared/domain/config-edit.js';
import type { ConfigDraft } from './use-config-draft.js';

const shown = (value: unknown): string =>
  value === undefined ? '(not set: default)' : JSON.stringify(value);

/** A list of what a save changes (or changed), key by key. */
export function DiffList(props: { diff: ConfigDiffEntry[]; testId: string }) {
  return (
    <ul className="settings-diff" data-testid={props.testId}>
      {props.diff.map((entry) => (
        <li key={entry.path} data-diff-path={entry.path}>
          <code>{entry.path}</code>: <del>{shown(entry.before)}</del> →{' '}
          <ins>{shown(entry.after)}</ins>
        </li>
      ))}
    </ul>
  );
}

/**
 * The bar under the forms: review the unsaved edits (validated by the supervisor against the
 * config schema), see the diff, then save or discard. Saving is offered only once reviewed.
 */
export function DiffReview(props: { draft: ConfigDraft }) {
  const { draft } = props;
  const pending = draft.changes.length;
  return (
    <section className="settings-review card" aria-labelledby="settings-review" aria-live="polite">
      <h3 id="settings-review">Changes</h3>
      {draft.error && (
        <p className="notice notice--error" role="alert">
          {draft.error}
        </p>
      )}
      {pending === 0 && draft.saved && (
        <div data-testid="settings-saved">
          <p>
            <Check aria-hidden size={16} /> Saved to <code>{draft.view?.path}</code>
            {draft.commentsKept
              ? ' (comments kept); it is in force now.'
              : '; the file could not be edited in place, so it was rewritten as formatted JSON: every key kept, its comments not.'}
          </p>
          <DiffList diff={draft.saved} testId="settings-saved-diff" />
        </div>
      )}
      {pending === 0 && !draft.saved && <p className="muted">No unsaved changes.</p>}
      {pending > 0 && draft.preview === null && (
        <p>
          {pending} unsaved change{pending === 1 ? '' : 's'}.
        </p>
      )}
      {draft.preview && !draft.preview.valid && (
        <p className="notice notice--error" role="alert" data-testid="settings-invalid">
          {draft.preview.issues.length} problem{draft.preview.issues.length === 1 ? '' : 's'}: see
          the fields marked above. Nothing was saved.
        </p>
      )}
      {draft.preview?.valid && (
        <>
          <p>This will change, in {draft.view?.path}:</p>
          <DiffList diff={draft.preview.diff} testId="settings-diff" />
        </>
      )}
      <div className="card__actions">
        <button
          type="button"
          disabled={pending === 0 || draft.busy}
          onClick={() => void draft.review()}
          data-testid="settings-review-button"
        >
          <Eye aria-hidden size={16} /> Review changes
        </button>
        <button
          type="button"
          disabled={!draft.preview?.valid || draft.busy}
          onClick={() => void draft.save()}
          data-testid="settings-save"
        >
          <Save aria-hidden size={16} /> Save
        </button>
        <button
          type="button"
          disabled={pending === 0 || draft.busy}
          onClick={draft.discard}
          data-testid="settings-discard"
        >
          <Undo2 aria-hidden size={16} /> Discard
        </button>
      </div>
    </section>
  );
}
