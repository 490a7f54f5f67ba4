import './pairing.css';
import type { PairingRequest } from '../../src-shared/domain/access.js';
import { cleanFirstMessage } from '../../src-shared/domain/pairing-display.js';

/**
 * A stranger's first message as the owner reads it: quoted, plain text (React escapes it; hidden
 * and bidi characters removed), clamped to a few lines in a table row and shown whole in the
 * dialog. It was never sent to a model.
 */
export function PairingFirstMessage(props: {
  request: Pick<PairingRequest, 'firstMessage'>;
  testId: string;
  clamped?: boolean;
}) {
  const text = cleanFirstMessage(props.request.firstMessage);
  if (text === null) {
    return (
      <span className="muted" data-testid={props.testId}>
        No message kept
      </span>
    );
  }
  return (
    <blockquote
      className={
        props.clamped
          ? 'pairing-first-message pairing-first-message--clamped'
          : 'pairing-first-message'
      }
      title={props.clamped ? text : undefined}
      data-testid={props.testId}
    >
      {text}
    </blockquote>
  );
}
