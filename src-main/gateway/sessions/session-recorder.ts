import type { TranscriptEvent } from '../../../src-shared/domain/transcript.js';
import type { NewTranscriptEvent, SessionsRepo } from '../../store/sessions-repo.js';

/** Scrubs secrets from text and from structured data before either is stored or shown. */
export interface TranscriptRedactor {
  redact(text: string): string;
  redactValue<T>(value: T): T;
}

/**
 * Writes transcript events: secrets are scrubbed first (a model may echo a key it found, a
 * tool may print one), then the event is stored, then live views are told. Storing first
 * means a view that hears of an event can always read it back.
 */
export class SessionRecorder {
  constructor(
    readonly repo: SessionsRepo,
    private readonly redactor: () => TranscriptRedactor,
    private readonly onEvent: (event: TranscriptEvent) => void,
  ) {}

  record(event: NewTranscriptEvent): TranscriptEvent {
    const redactor = this.redactor();
    const stored = this.repo.append({
      ...event,
      text: redactor.redact(event.text),
      actor: redactor.redact(event.actor),
      data: event.data ? redactor.redactValue(event.data) : null,
    });
    this.onEvent(stored);
    return stored;
  }
}
