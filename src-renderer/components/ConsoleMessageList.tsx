import { useEffect, useRef } from 'react';
import type { ConsoleMessage } from '../../src-shared/domain/provider-status.js';
import { formatTime } from './format.js';

const roleNames: Record<ConsoleMessage['role'], string> = {
  owner: 'You',
  assistant: 'Assistant',
};

function formatClock(at: number): string {
  return new Date(at).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

/** The console chat so far: the owner's lines on one side, the assistant's on the other. */
export function ConsoleMessageList({ messages }: { messages: readonly ConsoleMessage[] }) {
  const list = useRef<HTMLOListElement>(null);
  const last = messages.at(-1)?.id;
  // Follow the conversation: a new line scrolls into view, as in any chat. Only the list
  // scrolls; scrollIntoView would move the whole page too.
  useEffect(() => {
    const element = list.current;
    if (element) element.scrollTop = element.scrollHeight;
  }, [last]);

  if (messages.length === 0) {
    return (
      <p className="console__empty muted" data-testid="console-empty">
        Nothing said yet. Type below to talk to the assistant.
      </p>
    );
  }
  return (
    <ol ref={list} className="console__messages" data-testid="console-messages" aria-live="polite">
      {messages.map((message) => (
        <li
          key={message.id}
          className={`bubble bubble--${message.role}`}
          data-testid="console-message"
          data-role={message.role}
        >
          <span className="visually-hidden">{roleNames[message.role]}: </span>
          <span className="bubble__text" data-testid="console-message-text">
            {message.text}
          </span>
          <time
            className="bubble__time"
            dateTime={new Date(message.at).toISOString()}
            title={formatTime(message.at)}
          >
            {formatClock(message.at)}
          </time>
        </li>
      ))}
    </ol>
  );
}
