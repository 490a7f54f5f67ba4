import { memo } from 'react';
import { isMissedMessage, type TranscriptEvent } from '../../src-shared/domain/transcript.js';
import { formatArgs, toolSummary } from '../state/tool-summary.js';
import { formatTime } from './format.js';
import { formatDuration } from '../../src-shared/format/duration.js';

/** What a row's kind is called, for the label screen readers hear first. */
const kindWords: Record<TranscriptEvent['kind'], string> = {
  inbound: 'Message',
  assistant: 'Assistant',
  'tool-call': 'Tool call',
  'tool-result': 'Tool result',
  error: 'Error',
  elevated: 'Elevated',
  access: 'Access decision',
  session: 'Session',
  approval: 'Approval',
};

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function Where({ where }: { where: unknown }) {
  if (where !== 'sandbox' && where !== 'host') return null;
  return (
    <span className={`session-where session-where--${where}`} data-testid="tool-where">
      {where === 'sandbox' ? 'sandbox' : 'host'}
    </span>
  );
}

function ResultStatus({ result }: { result: TranscriptEvent | undefined }) {
  if (!result) return <span className="muted">running…</span>;
  const ok = result.data?.['ok'] !== false;
  const ms = result.data?.['durationMs'];
  return (
    <span className={ok ? 'tool-call__ok' : 'tool-call__failed'} data-testid="tool-status">
      {ok ? 'ok' : 'failed'}
      {typeof ms === 'number' ? ` · ${formatDuration(ms)}` : ''}
    </span>
  );
}

function ToolCall(props: {
  event: TranscriptEvent;
  result: TranscriptEvent | undefined;
  expanded: boolean;
  onToggle: (id: number) => void;
}) {
  const { event, result, expanded } = props;
  const tool = str(event.data?.['tool']) ?? event.actor;
  const args = event.data?.['args'];
  const detailsId = `tool-details-${event.id}`;
  return (
    <>
      <button
        type="button"
        className="tool-call__toggle"
        aria-expanded={expanded}
        aria-controls={detailsId}
        data-testid="tool-toggle"
        onClick={() => props.onToggle(event.id)}
      >
        <span aria-hidden="true">{expanded ? '▾' : '▸'}</span>{' '}
        <strong data-testid="tool-name">{tool}</strong>{' '}
        <span className="tool-call__summary" data-testid="tool-summary">
          {toolSummary(args) || event.text}
        </span>
      </button>{' '}
      <Where where={event.data?.['where']} /> <ResultStatus result={result} />
      {expanded && (
        <div id={detailsId} className="tool-call__details">
          <p className="tool-call__label">Arguments</p>
          <pre data-testid="tool-args">{formatArgs(args)}</pre>
          <p className="tool-call__label">Result</p>
          {result ? (
            <pre data-testid="tool-result">{result.text || '(no output)'}</pre>
          ) : (
            <p className="muted" data-testid="tool-result-missing">
              No result in the loaded part of the transcript yet.
            </p>
          )}
        </div>
      )}
    </>
  );
}

function ToolResult({ event }: { event: TranscriptEvent }) {
  const firstLine = event.text.split('\n', 1)[0] ?? '';
  return (
    <span className="muted">
      ↳ {str(event.data?.['tool']) ?? event.actor}: <ResultStatus result={event} />{' '}
      <span className="tool-call__summary">{firstLine}</span>
    </span>
  );
}

/**
 * One transcript event. Everything in it that came from a sender, a model or a tool is rendered
 * as text (React escapes it); nothing here may ever use dangerouslySetInnerHTML.
 */
export const TranscriptRow = memo(function TranscriptRow(props: {
  event: TranscriptEvent;
  /** For a tool call: its result, when loaded. */
  result: TranscriptEvent | undefined;
  expanded: boolean;
  focused: boolean;
  onToggle: (id: number) => void;
}) {
  const { event } = props;
  const marked =
    event.kind === 'access' ||
    event.kind === 'elevated' ||
    event.kind === 'error' ||
    event.kind === 'approval';
  return (
    <div
      className={`transcript-row transcript-row--${event.kind}${props.focused ? ' transcript-row--focused' : ''}`}
      data-testid="transcript-event"
      data-event-id={event.id}
      data-kind={event.kind}
      role="listitem"
    >
      <div className="transcript-row__meta">
        <time dateTime={new Date(event.at).toISOString()}>{formatTime(event.at)}</time>
        {marked ? (
          <span
            className={`transcript-mark transcript-mark--${event.kind}`}
            data-testid={`mark-${event.kind}`}
          >
            {kindWords[event.kind]}
          </span>
        ) : (
          <span className="visually-hidden">{kindWords[event.kind]}: </span>
        )}
        <span className="transcript-row__actor">{event.actor}</span>
        {isMissedMessage(event) && (
          <span
            className="transcript-mark transcript-mark--missed"
            data-testid="mark-missed"
            title="Sent while the gateway was down, too long ago to answer (session.catchUpMinutes)"
          >
            Missed: not answered
          </span>
        )}
      </div>
      {event.kind === 'tool-call' ? (
        <ToolCall
          event={event}
          result={props.result}
          expanded={props.expanded}
          onToggle={props.onToggle}
        />
      ) : event.kind === 'tool-result' ? (
        <ToolResult event={event} />
      ) : (
        <p className="transcript-row__text" data-testid="event-text">
          {event.text}
        </p>
      )}
    </div>
  );
});
