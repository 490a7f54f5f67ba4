import { memo } from 'react';
import {
  isMissedMessage,
  toolResultStatus,
  type ToolCallStatus,
  type TranscriptEvent,
} from '../../src-shared/domain/transcript.js';
import { formatAgo } from '../state/relative-time.js';
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

function Where({ call }: { call: TranscriptEvent }) {
  const where = call.data?.['where'];
  if (where !== 'sandbox' && where !== 'host') return null;
  const engine = str(call.data?.['engine']);
  const runtime = str(call.data?.['runtime']);
  const on = where === 'sandbox' && engine !== null ? ` on ${engine}` : '';
  return (
    <span
      className={`session-where session-where--${where}`}
      data-testid="tool-where"
      title={
        where === 'sandbox'
          ? `Ran in this session’s Docker container${on}${runtime ? `, runtime ${runtime}` : ''}`
          : 'Ran on this machine'
      }
    >
      {where === 'sandbox' ? 'sandbox' : 'host'}
      {where === 'sandbox' && engine !== null && (
        <span className="tool-call__engine" data-testid="tool-engine">
          {' '}
          · {engine}
          {runtime ? ` · ${runtime}` : ''}
        </span>
      )}
    </span>
  );
}

/** A call's state as shown: how it ended, or that it still runs. */
type ShownStatus = ToolCallStatus | 'running';

const statusWords: Record<ShownStatus, string> = {
  running: 'running…',
  ok: 'ok',
  error: 'failed',
  refused: 'refused',
  denied: 'denied',
  killed: 'killed by the kill switch',
  interrupted: 'interrupted',
};

const statusHints: Record<ShownStatus, string> = {
  running: 'No result yet: the tool is still running',
  ok: 'It ran and succeeded',
  error: 'It ran (or tried to) and failed',
  refused: 'The gateway would not run it (a tool this session is not offered, or no sandbox)',
  denied: 'The owner or the approvals policy said no; it did not run',
  killed: 'The kill switch stopped it before it finished',
  interrupted: 'The gateway stopped before this call finished; there is no result',
};

function ToolStatus({
  status,
  result,
}: {
  status: ShownStatus;
  result: TranscriptEvent | undefined;
}) {
  const ms = result?.data?.['durationMs'];
  return (
    <span
      className={`tool-status tool-status--${status}`}
      data-testid="tool-status"
      data-status={status}
      title={statusHints[status]}
    >
      {statusWords[status]}
      {typeof ms === 'number' ? ` · ${formatDuration(ms)}` : ''}
    </span>
  );
}

function ToolCall(props: {
  event: TranscriptEvent;
  result: TranscriptEvent | undefined;
  superseded: boolean;
  expanded: boolean;
  onToggle: (id: number) => void;
}) {
  const { event, result, expanded } = props;
  const tool = str(event.data?.['tool']) ?? event.actor;
  const args = event.data?.['args'];
  const detailsId = `tool-details-${event.id}`;
  const status: ShownStatus = result
    ? toolResultStatus(result)
    : props.superseded
      ? 'interrupted'
      : 'running';
  const output = result ? (result.text.split('\n', 1)[0] ?? '') : '';
  return (
    <>
      <div className="tool-call__line">
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
        </button>
        <Where call={event} />
        <ToolStatus status={status} result={result} />
      </div>
      {!expanded && output && (
        <p className="tool-call__output" data-testid="tool-output">
          ↳ {output}
        </p>
      )}
      {expanded && (
        <div id={detailsId} className="tool-call__details">
          <p className="tool-call__label">Arguments</p>
          <pre data-testid="tool-args">{formatArgs(args)}</pre>
          <p className="tool-call__label">Result</p>
          {result ? (
            <pre data-testid="tool-result">{result.text || '(no output)'}</pre>
          ) : (
            <p className="muted" data-testid="tool-result-missing">
              {props.superseded
                ? 'No result was recorded: the gateway stopped before this call finished.'
                : 'No result yet.'}
            </p>
          )}
        </div>
      )}
    </>
  );
}

/** A result whose call is outside the loaded part of the transcript. */
function ToolResult({ event }: { event: TranscriptEvent }) {
  const firstLine = event.text.split('\n', 1)[0] ?? '';
  return (
    <span className="muted">
      ↳ {str(event.data?.['tool']) ?? event.actor}:{' '}
      <ToolStatus status={toolResultStatus(event)} result={event} />{' '}
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
  /** For a tool call without a result: the turn went on past it, so it is not running. */
  superseded: boolean;
  /** The clock relative times are shown against (ticks coarsely). */
  now: number;
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
        <time
          dateTime={new Date(event.at).toISOString()}
          title={formatTime(event.at)}
          data-testid="event-time"
        >
          {formatAgo(event.at, props.now)}
        </time>
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
          superseded={props.superseded}
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
