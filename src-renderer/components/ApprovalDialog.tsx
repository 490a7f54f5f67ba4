import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import { AllowMatchSchema, type AllowEntry } from '../../src-shared/config/approvals-schema.js';
import type { ApprovalRequest } from '../../src-shared/domain/approvals.js';
import { riskNotes } from '../../src-shared/approvals/risk-notes.js';
import { approvalsStoreFor, type ApprovalsStore } from '../state/approvals-store.js';
import { useTransport } from '../state/store-context.js';
import { ApprovalRunsOn } from './ApprovalRunsOn.js';
import { CommandText } from './CommandText.js';
import { formatTimeLeft } from './format.js';
import { Modal } from './Modal.js';
import { useNow } from './use-now.js';

/** How long the Allow buttons stay disabled, so a click meant for something else cannot allow. */
const ARM_MS = 1000;

/**
 * The approval dialog, shown whenever a command waits for the owner (oldest first), on top of
 * every view: who asked, the exact command, where and in which directory it runs, its risks,
 * and Allow once / Allow always / Deny. Deny has focus; Escape or closing denies; the Allow
 * buttons wake after a second. The title count, favicon badge and notification are the shell's
 * (state/attention.ts), shared with pairing requests.
 */
export function ApprovalDialog() {
  const transport = useTransport();
  if (!transport) return null;
  return <ApprovalSurface store={approvalsStoreFor(transport)} />;
}

// One empty list: a selector returning a new [] each time would re-render without end.
const NONE: readonly ApprovalRequest[] = [];

function ApprovalSurface({ store }: { store: ApprovalsStore }) {
  const pending = useStore(store, (s) => s.overview?.pending ?? NONE);
  const first = pending[0];
  if (!first) return null;
  return <Dialog key={first.id} store={store} request={first} more={pending.length - 1} />;
}

function Dialog(props: { store: ApprovalsStore; request: ApprovalRequest; more: number }) {
  const { request, store } = props;
  const decide = useStore(store, (s) => s.decide);
  const error = useStore(store, (s) => s.error);
  const now = useNow();
  const [armed, setArmed] = useState(false);
  // Allow always: the entry to be saved, shown (and editable) before it is.
  const [remember, setRemember] = useState<Remembered | null>(null);
  const denyRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const timer = setTimeout(() => setArmed(true), ARM_MS);
    return () => clearTimeout(timer);
  }, []);
  const notes = riskNotes(request.command, request.where);
  return (
    <Modal
      title={`A command wants to run on the ${request.where === 'host' ? 'host (your computer)' : 'sandbox'}`}
      testId="approval-dialog"
      className="approval-dialog"
      initialFocus={denyRef}
      // Escape means Deny.
      onDismiss={() => void decide(request.id, 'deny')}
    >
      <dl className="facts">
        <dt>Asked by</dt>
        <dd data-testid="approval-who">
          {request.senderName ?? request.senderId} in session <code>{request.sessionKey}</code>
          {request.elevated ? ' (elevated turn, not yours)' : ''}
        </dd>
        {request.message && (
          <>
            <dt>Their message</dt>
            <dd className="approval-dialog__message">{request.message}</dd>
          </>
        )}
        <dt>Runs on</dt>
        <dd>
          <ApprovalRunsOn request={request} testId="approval-where" />
        </dd>
        <dt>In</dt>
        <dd>
          <code data-testid="approval-cwd">{request.cwd}</code>
        </dd>
        <dt>Denied in</dt>
        <dd>{formatTimeLeft(request.expiresAt, now)}</dd>
      </dl>
      <CommandText command={request.command} testId="approval-command" />
      <div className="approval-dialog__risk" data-testid="approval-risk">
        {notes.length > 0 ? (
          <ul>
            {notes.map((note) => (
              <li key={note}>This command {note}.</li>
            ))}
          </ul>
        ) : (
          <p>Nothing in it stands out, which does not make it safe: read it before allowing.</p>
        )}
      </div>
      {error && (
        <p className="notice notice--error" role="alert" data-testid="approval-error">
          {error}
        </p>
      )}
      {remember && (
        <RememberEditor
          entry={remember}
          where={request.where}
          onChange={setRemember}
          onSave={() => void decide(request.id, 'always', remember)}
          onBack={() => setRemember(null)}
        />
      )}
      {props.more > 0 && <p>{props.more} more waiting after this one.</p>}
      <div className="dialog__actions">
        <button
          type="button"
          disabled={!armed}
          data-testid="approval-allow-once"
          onClick={() => void decide(request.id, 'once')}
        >
          Allow once
        </button>
        <button
          type="button"
          disabled={!armed || remember !== null}
          data-testid="approval-allow-always"
          title="Shows the allowlist entry it adds (this exact command, or a pattern you edit it into)"
          onClick={() => setRemember({ command: request.command, match: 'exact' })}
        >
          Allow always…
        </button>
        <button
          type="button"
          ref={denyRef}
          className="danger"
          data-testid="approval-deny"
          onClick={() => void decide(request.id, 'deny')}
        >
          Deny
        </button>
      </div>
    </Modal>
  );
}

/** What Allow always adds to the allowlist. */
type Remembered = Pick<AllowEntry, 'command' | 'match'>;

/**
 * The allowlist entry Allow always would save, before it is saved: this exact command by
 * default, or a prefix or pattern the owner edits it into (the gateway refuses one that does
 * not match the command, and a prefix or pattern never approves inline code or compound
 * commands).
 */
function RememberEditor(props: {
  entry: Remembered;
  where: ApprovalRequest['where'];
  onChange: (entry: Remembered) => void;
  onSave: () => void;
  onBack: () => void;
}) {
  const { entry, where } = props;
  return (
    <fieldset className="approval-dialog__remember" data-testid="approval-remember">
      <legend>Remember in the allowlist</legend>
      <label>
        Match{' '}
        <select
          data-testid="approval-remember-match"
          value={entry.match}
          onChange={(event) =>
            props.onChange({ ...entry, match: AllowMatchSchema.parse(event.target.value) })
          }
        >
          <option value="exact">exactly this command</option>
          <option value="prefix">commands starting with</option>
          <option value="regex">commands matching the pattern</option>
        </select>
      </label>
      <input
        className="command-text"
        data-testid="approval-remember-command"
        aria-label="The command or pattern to remember"
        value={entry.command}
        onChange={(event) => props.onChange({ ...entry, command: event.target.value })}
      />
      <div data-testid="approval-remember-preview">
        Will add ({entry.match}, {where}):
        <CommandText command={entry.command} />
      </div>
      <div className="dialog__actions">
        <button
          type="button"
          data-testid="approval-remember-save"
          disabled={entry.command.trim() === ''}
          onClick={props.onSave}
        >
          Save and allow
        </button>
        <button type="button" onClick={props.onBack}>
          Back
        </button>
      </div>
    </fieldset>
  );
}
