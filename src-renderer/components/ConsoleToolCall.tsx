import { Box, Monitor } from 'lucide-react';
import type { EngineHealth } from '../../src-shared/domain/engine-health.js';
import { describeEngineAddress } from '../../src-shared/format/engine-address.js';
import type { ConsoleToolCall, ToolCallState } from '../state/console-messages.js';
import { formatArgs, toolSummary } from '../state/tool-summary.js';
import { formatClock, formatTime } from './format.js';

/** Output longer than this (lines or characters) starts collapsed. */
const LONG_LINES = 6;
const LONG_CHARS = 600;

const stateWords: Record<ToolCallState, string> = {
  ok: 'OK',
  error: 'Error',
  refused: 'Refused',
  denied: 'Denied',
  killed: 'Killed by the kill switch',
  running: 'Running…',
  interrupted: 'No result: the gateway stopped',
};

function whereWords(call: ConsoleToolCall, engine: EngineHealth | undefined): string {
  switch (call.where) {
    case 'host':
      return 'On the host';
    case 'sandbox':
      // The engine recorded with the call wins: the engine in force now may be another one.
      if (call.engine !== null) return `In a sandbox on ${call.engine}`;
      return engine?.address
        ? `In a sandbox on ${describeEngineAddress(engine.address)}`
        : 'In a sandbox';
    default: {
      const never: never = call.where;
      return never;
    }
  }
}

function isLong(text: string): boolean {
  return text.length > LONG_CHARS || text.split('\n').length > LONG_LINES;
}

/**
 * One of the owner's tool calls inline in the console: the tool and what it was asked to do,
 * where it ran (the host — the owner's session runs there by design — or a sandbox and its
 * engine), how it ended, and its output (collapsed when long). React renders every text as
 * text, so nothing a tool printed can become markup.
 */
export function ConsoleToolCallRow({
  call,
  engine,
}: {
  call: ConsoleToolCall;
  engine: EngineHealth | undefined;
}) {
  const args = formatArgs(call.args);
  const WhereIcon = call.where === 'host' ? Monitor : Box;
  return (
    <li
      className={`console-tool console-tool--${call.state}`}
      data-testid="console-tool-call"
      data-state={call.state}
      data-where={call.where}
    >
      <div className="console-tool__head">
        <span className="console-tool__name">{call.tool}</span>
        <code className="console-tool__summary" title={args}>
          {toolSummary(call.args)}
        </code>
        <span className={`console-tool__state console-tool__state--${call.state}`}>
          {stateWords[call.state]}
        </span>
      </div>
      <div className="console-tool__meta muted">
        <span className="console-tool__where">
          <WhereIcon size={14} aria-hidden="true" /> {whereWords(call, engine)}
        </span>
        <time dateTime={new Date(call.at).toISOString()} title={formatTime(call.at)}>
          {formatClock(call.at)}
        </time>
        {call.durationMs !== null && <span>{call.durationMs} ms</span>}
      </div>
      {call.output !== null &&
        (isLong(call.output) ? (
          <details className="console-tool__output">
            <summary>Output ({call.output.split('\n').length} lines)</summary>
            <pre data-testid="console-tool-output" tabIndex={0}>
              {call.output}
            </pre>
          </details>
        ) : (
          <pre className="console-tool__output" data-testid="console-tool-output" tabIndex={0}>
            {call.output}
          </pre>
        ))}
    </li>
  );
}
