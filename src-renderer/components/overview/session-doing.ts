import type { TranscriptEvent } from '../../../src-shared/domain/transcript.js';
import { toolSummary } from '../../state/tool-summary.js';

/** How long ago, in the card's words: "just now", "3 min", "2 h", "4 days". */
export function idleFor(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} days`;
}

/**
 * What a session is doing now, from its latest transcript event: a tool call not yet answered is
 * running (and where), a message or a tool's result is waiting for the model, anything else has
 * been idle since it happened. The gateway records each step before it takes the next, so the
 * newest event is where the session stands.
 */
export function sessionDoing(last: TranscriptEvent | null, now: number): string {
  if (!last) return 'nothing yet';
  const idle = `idle ${idleFor(Math.max(0, now - last.at))}`;
  switch (last.kind) {
    case 'tool-call': {
      const where = last.data?.['where'] === 'host' ? 'on the host' : 'in its sandbox';
      const what = toolSummary(last.data?.['args']) || last.text;
      return `running ${what} ${where}`;
    }
    case 'inbound':
    case 'tool-result':
      return 'waiting for the model';
    case 'approval':
      // Asked: the command waits for the owner; decided (or refused unasked): back to the model.
      return last.data?.['phase'] === 'requested'
        ? 'waiting for your approval'
        : 'waiting for the model';
    case 'assistant':
    case 'error':
    case 'elevated':
    case 'access':
    case 'session':
      return idle;
    default: {
      const unreachable: never = last.kind;
      return unreachable;
    }
  }
}
