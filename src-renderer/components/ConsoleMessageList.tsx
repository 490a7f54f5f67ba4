import { useEffect, useRef, useState } from 'react';
import type { EngineHealth } from '../../src-shared/domain/engine-health.js';
import type { ConsoleEntry } from '../state/console-messages.js';
import { EndFollower } from '../state/end-follower.js';
import { ConsoleToolCallRow } from './ConsoleToolCall.js';
import { formatClock, formatTime } from './format.js';

const roleNames = { owner: 'You', assistant: 'Assistant' } as const;

function Entry({ entry, engine }: { entry: ConsoleEntry; engine: EngineHealth | undefined }) {
  switch (entry.kind) {
    case 'tool':
      return <ConsoleToolCallRow call={entry} engine={engine} />;
    case 'note':
      return (
        <li
          className={`console-note console-note--${entry.tone}`}
          data-testid="console-note"
          title={formatTime(entry.at)}
        >
          {entry.text}
        </li>
      );
    case 'message':
      return (
        <li
          className={`bubble bubble--${entry.role}`}
          data-testid="console-message"
          data-role={entry.role}
        >
          <span className="visually-hidden">{roleNames[entry.role]}: </span>
          <span className="bubble__text" data-testid="console-message-text">
            {entry.text}
          </span>
          <time
            className="bubble__time"
            dateTime={new Date(entry.at).toISOString()}
            title={formatTime(entry.at)}
          >
            {formatClock(entry.at)}
          </time>
        </li>
      );
    default: {
      const never: never = entry;
      return never;
    }
  }
}

/**
 * The console conversation so far: the owner's lines on one side, the assistant's on the other,
 * the owner's tool calls inline between them. Only this list scrolls; the composer stays put.
 */
export function ConsoleMessageList({
  entries,
  engine,
}: {
  entries: readonly ConsoleEntry[];
  engine: EngineHealth | undefined;
}) {
  const list = useRef<HTMLOListElement>(null);
  // The newest line stays in view as lines arrive and the window (so the list) changes size;
  // an owner who scrolled back to read is left where they are.
  const [follower] = useState(() => new EndFollower());
  const empty = entries.length === 0;
  useEffect(() => {
    if (list.current) follower.keepInView(list.current);
  }, [entries, follower]);
  useEffect(() => {
    const element = list.current;
    if (!element) return;
    const onScroll = (): void => follower.onScroll(element);
    const observer = new ResizeObserver(() => follower.keepInView(element));
    element.addEventListener('scroll', onScroll, { passive: true });
    observer.observe(element);
    return () => {
      observer.disconnect();
      element.removeEventListener('scroll', onScroll);
    };
  }, [empty, follower]);

  if (empty) {
    return (
      <p className="console__empty muted" data-testid="console-empty">
        Nothing said yet. Type below to talk to the assistant.
      </p>
    );
  }
  return (
    <ol
      ref={list}
      className="console__messages"
      data-testid="console-messages"
      aria-live="polite"
      aria-label="Conversation"
      // Scrollable content must be reachable by keyboard (axe: scrollable-region-focusable).
      tabIndex={0}
    >
      {entries.map((entry) => (
        <Entry key={entry.id} entry={entry} engine={engine} />
      ))}
    </ol>
  );
}
