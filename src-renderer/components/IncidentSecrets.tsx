import type { IncidentSecret, IncidentSecretId } from '../../src-shared/domain/incident.js';
import { shownAsChecked, type PendingCheck } from '../state/incident-store.js';
import { formatTime } from './format.js';

/**
 * Step 4: every configured secret by name and place (the supervisor never sends a value), how
 * to rotate it, and a box the owner ticks once done; ticks are kept per incident.
 */
export function IncidentSecrets(props: {
  secrets: readonly IncidentSecret[];
  pending: PendingCheck | null;
  error: string | null;
  onCheck: (item: IncidentSecretId, checked: boolean) => void;
}) {
  if (props.secrets.length === 0) {
    return <p className="muted">No secrets are configured: nothing to rotate.</p>;
  }
  const done = props.secrets.filter((s) => s.checkedAt !== null).length;
  return (
    <>
      <p data-testid="incident-secrets-progress">
        {done} of {props.secrets.length} rotated
      </p>
      {props.error && (
        <p className="notice notice--error" role="alert">
          {props.error}
        </p>
      )}
      <ul className="incident-secrets" data-testid="incident-secrets">
        {props.secrets.map((secret) => {
          const id = `incident-secret-${secret.id}`;
          return (
            <li key={secret.id} data-testid="incident-secret" data-secret={secret.id}>
              <input
                id={id}
                type="checkbox"
                data-testid="incident-secret-check"
                checked={shownAsChecked(secret, props.pending)}
                disabled={props.pending?.item === secret.id}
                aria-describedby={`${id}-how`}
                onChange={(event) => props.onCheck(secret.id, event.target.checked)}
              />
              <div>
                <label htmlFor={id}>
                  <strong>{secret.name}</strong>
                  {secret.checkedAt !== null && (
                    <span className="muted"> — rotated {formatTime(secret.checkedAt)}</span>
                  )}
                </label>
                <p className="incident-secrets__where">Kept in {secret.location}</p>
                <p id={`${id}-how`} className="incident-secrets__how">
                  {secret.rotate}
                  {secret.url && (
                    <>
                      {' '}
                      <a href={secret.url} target="_blank" rel="noreferrer noopener">
                        {secret.url}
                      </a>
                    </>
                  )}
                </p>
              </div>
            </li>
          );
        })}
      </ul>
    </>
  );
}
