import {
  isMissedMessage,
  toolResultStatus,
  type SessionSummary,
  type ToolCallStatus,
  type TranscriptEvent,
} from '../../src-shared/domain/transcript.js';
import { printable } from './table.js';

/** One transcript event as `--json`, `search --json` and `export --jsonl` print it. */
export interface TranscriptEventLine {
  id: number;
  sessionKey: string;
  /** Epoch milliseconds, as stored. */
  at: number;
  /** The same instant as ISO 8601 (UTC), for people and tools that do not count milliseconds. */
  time: string;
  kind: TranscriptEvent['kind'];
  actor: string;
  text: string;
  data: TranscriptEvent['data'];
}

/** The JSON line for one event (without the newline). */
export function eventJsonLine(event: TranscriptEvent): string {
  const line: TranscriptEventLine = {
    id: event.id,
    sessionKey: event.sessionKey,
    at: event.at,
    time: new Date(event.at).toISOString(),
    kind: event.kind,
    actor: event.actor,
    text: event.text,
    data: event.data,
  };
  return JSON.stringify(line);
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A local date and time to the second, e.g. `2026-11-25 09:54:03`. */
export function formatSecond(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
}

/**
 * Stored text (a stranger's message, a tool's output) as terminal lines: tabs become spaces and
 * every other control character is neutralised, so nothing printed can drive the terminal.
 */
function safeLines(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(/\t/g, '  ')
    .split('\n')
    .map((line) => printable(line));
}

/** A stored value for one line of a table: newlines shown as `⏎`, cut at `max` characters. */
export function oneLine(text: string, max: number): string {
  const flat = safeLines(text).join(' ⏎ ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function field(data: TranscriptEvent['data'], name: string): unknown {
  return data ? data[name] : undefined;
}

function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** How a call ended, for a terminal: anything but ok in capitals, to stand out when scrolling. */
const CLI_STATUS: Record<ToolCallStatus, string> = {
  ok: 'ok',
  error: 'FAILED',
  refused: 'REFUSED',
  denied: 'DENIED',
  killed: 'KILLED by the kill switch',
  interrupted: 'INTERRUPTED',
};

/** What the kind-specific head of a line says, from the event's structured data. */
function describe(event: TranscriptEvent): string {
  const { data } = event;
  const where = str(field(data, 'where'));
  const tool = str(field(data, 'tool')) ?? event.actor;
  switch (event.kind) {
    case 'tool-call': {
      const args = field(data, 'args');
      const json = args === undefined ? '' : ` ${JSON.stringify(args)}`;
      return `${tool}${json}${where ? ` [${where}]` : ''}`;
    }
    case 'tool-result': {
      const status = CLI_STATUS[toolResultStatus(event)];
      const ms = field(data, 'durationMs');
      const details = [where, typeof ms === 'number' ? `${Math.round(ms)} ms` : null].filter(
        (d): d is string => d !== null,
      );
      return `${tool} ${status}${details.length > 0 ? ` (${details.join(', ')})` : ''}`;
    }
    case 'inbound':
      return isMissedMessage(event) ? `${event.actor} (missed: not answered)` : event.actor;
    case 'assistant':
    case 'error':
    case 'elevated':
    case 'access':
    case 'session':
    case 'approval':
      return event.actor;
  }
}

// Events the owner should not miss when scrolling: decisions about power and access, failures.
const MARKED = new Set<TranscriptEvent['kind']>(['elevated', 'access', 'error', 'approval']);

/**
 * One event for a terminal: `time  !kind  head: text`, later lines of the text indented under
 * the first. `!` marks elevated use, access decisions and errors.
 */
export function formatEvent(event: TranscriptEvent): string {
  const mark = MARKED.has(event.kind) ? '!' : ' ';
  const prefix = `${formatSecond(event.at)} ${mark}${event.kind.padEnd(11)} `;
  const [first = '', ...rest] = safeLines(event.text);
  const head = printable(describe(event));
  const indent = ' '.repeat(prefix.length + 2);
  const lines = [`${prefix}${head}${first === '' ? '' : `: ${first}`}`];
  for (const line of rest) lines.push(`${indent}${line}`);
  return lines.join('\n');
}

/** The header `sessions show` prints above a transcript. */
export function formatSessionHeader(session: SessionSummary): string {
  const who = session.title
    ? `${printable(session.title)} (${printable(session.peerId)})`
    : printable(session.peerId);
  return [
    `session ${printable(session.key)}: ${session.provider} ${session.chatKind} with ${who}`,
    `trust ${session.trust}, tools run in ${session.toolsRunIn}, elevated ${session.elevated ? 'ON' : 'off'}, ${session.eventCount} event${session.eventCount === 1 ? '' : 's'}`,
  ].join('\n');
}
