import type { Logger } from '../../logging/logger.js';
import type { TurnOutcome } from './agent-loop.js';
import type { RecordEvent } from './session-records.js';

/** Records how a turn ended, beyond its answer. */
export function recordOutcome(
  sessionKey: string,
  outcome: Exclude<TurnOutcome, { kind: 'over-budget' }>,
  to: { record: RecordEvent; log: Logger; notifyOwner: (text: string) => void },
): void {
  const { record, log, notifyOwner } = to;
  switch (outcome.kind) {
    case 'reply':
      break;
    case 'refusal':
      // The refusal's own words (if any) are already recorded as the assistant's text.
      record(sessionKey, 'error', 'model', 'The model refused to answer.', {
        kind: 'refusal',
      });
      break;
    case 'step-limit':
      record(sessionKey, 'error', 'system', outcome.text);
      break;
    case 'model-error':
      log.warn('model call failed', {
        session: sessionKey,
        kind: outcome.error.kind,
        error: outcome.error.message,
      });
      record(sessionKey, 'error', 'model', outcome.text, { kind: outcome.error.kind });
      break;
    case 'tools-unavailable':
      log.error('sandbox unavailable; tool refused', {
        session: sessionKey,
        error: outcome.error.message,
      });
      record(sessionKey, 'error', 'sandbox', outcome.text);
      notifyOwner(
        `A tool call in ${sessionKey} was refused because its sandbox is unavailable: ${outcome.error.message}. Nothing ran on the host.`,
      );
      break;
    default: {
      const unreachable: never = outcome;
      throw new Error(`unhandled turn outcome ${JSON.stringify(unreachable)}`);
    }
  }
}
