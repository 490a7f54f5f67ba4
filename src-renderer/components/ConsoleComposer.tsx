import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { MAX_CONSOLE_MESSAGE_LENGTH } from '../../src-shared/domain/provider-status.js';
import { useApp } from '../state/store-context.js';

/**
 * Where the owner types: Enter sends, Shift+Enter starts a new line. The text stays in the box
 * until the supervisor has taken it, so a failed send loses nothing.
 */
export function ConsoleComposer({ unavailable }: { unavailable: string | null }) {
  const send = useApp((s) => s.sendConsoleMessage);
  const sending = useApp((s) => s.busy === 'console:send');
  const [text, setText] = useState('');
  const canSend = unavailable === null && !sending && text.trim() !== '';

  const submit = async (): Promise<void> => {
    if (!canSend) return;
    if (await send(text.trim())) setText('');
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>): void => {
    // While an input method is composing, Enter picks a candidate; it must not send.
    if (event.key !== 'Enter' || event.shiftKey || event.nativeEvent.isComposing) return;
    event.preventDefault();
    void submit();
  };
  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    void submit();
  };

  return (
    <form className="console__composer" onSubmit={onSubmit}>
      {unavailable !== null && (
        <p className="console__unavailable muted" data-testid="console-unavailable">
          {unavailable}
        </p>
      )}
      <div className="console__input-row">
        <textarea
          className="console__input"
          data-testid="console-input"
          aria-label="Message to the assistant"
          placeholder="Message the assistant (Enter to send, Shift+Enter for a new line)"
          rows={2}
          maxLength={MAX_CONSOLE_MESSAGE_LENGTH}
          value={text}
          disabled={unavailable !== null}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={onKeyDown}
        />
        <button type="submit" className="send" data-testid="console-send" disabled={!canSend}>
          Send
        </button>
      </div>
    </form>
  );
}
