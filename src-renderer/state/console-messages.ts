import type { ConsoleMessage } from '../../src-shared/domain/provider-status.js';
import { DENIED_TEXT, isToolCallStatus } from '../../src-shared/domain/tool-call-status.js';
import type { ToolLocation, TranscriptEvent } from '../../src-shared/domain/transcript.js';

/** How many console lines a window keeps; the supervisor keeps fewer, so history always fits. */
export const CONSOLE_MESSAGES_KEPT = 500;

/**
 * Merges console lines into the list by id, in time order. The same line arrives more than once
 * by design — the owner's own line is both `console:send`'s reply and a `console:message` event,
 * and history re-read after a reconnect repeats what was already shown — so ids, not arrival,
 * decide what is new.
 */
export function mergeConsoleMessages(
  existing: readonly ConsoleMessage[],
  incoming: readonly ConsoleMessage[],
): readonly ConsoleMessage[] {
  const byId = new Map<string, ConsoleMessage>();
  for (const message of existing) byId.set(message.id, message);
  let changed = false;
  for (const message of incoming) {
    if (byId.has(message.id)) continue;
    byId.set(message.id, message);
    changed = true;
  }
  // Nothing new: the same array, so subscribers do not re-render.
  if (!changed) return existing;
  // Array.prototype.sort is stable: lines with the same millisecond keep their arrival order.
  const merged = [...byId.values()].sort((a, b) => a.at - b.at);
  return merged.slice(-CONSOLE_MESSAGES_KEPT);
}

/**
 * How a tool call ended: `ok`; `error` (it ran and failed); `refused` (the session may not use
 * that tool, or its arguments were invalid: it never ran); `denied` (a command the owner or the
 * approvals policy did not let run); `killed` (no result, and the kill switch was engaged after
 * it started); `running` (no result yet); `interrupted` (no result: the gateway stopped).
 */
export type ToolCallState =
  'ok' | 'error' | 'refused' | 'denied' | 'killed' | 'running' | 'interrupted';

/** One tool call of the owner's session with its result, as the console shows it inline. */
export interface ConsoleToolCall {
  kind: 'tool';
  id: string;
  at: number;
  tool: string;
  where: ToolLocation;
  /** The engine a sandboxed call went to, as the gateway recorded it when it ran; null: not recorded. */
  engine: string | null;
  args: unknown;
  state: ToolCallState;
  /** The tool's output as the model saw it; null without a result. */
  output: string | null;
  durationMs: number | null;
}

/** A line of the console: a chat message, a tool call, or a note (an error, a fresh start…). */
export type ConsoleEntry =
  | (ConsoleMessage & { kind: 'message' })
  | ConsoleToolCall
  | { kind: 'note'; id: string; at: number; text: string; tone: 'error' | 'info' };

/** What the console reads besides the transcript, to say how a call without a result ended. */
export interface ConsoleContext {
  /** When the kill switch was last engaged (null: never). */
  killedAt: number | null;
  /** Whether the gateway runs now: a call without a result is still running only then. */
  gatewayRunning: boolean;
}

// A console line and its transcript event are the same line when their texts match within this.
const SAME_LINE_MS = 10 * 60 * 1000;
// The refusals run-tool gives without running anything (see run-tool.ts).
// Events after which a call of the same turn can no longer get its result.
const TURN_MOVED_ON = new Set<TranscriptEvent['kind']>([
  'inbound',
  'assistant',
  'error',
  'session',
]);
const REFUSED = /^tool ".*" is not available in this session$|^invalid arguments/;

/**
 * The console's conversation: the `main` transcript (which survives restarts, so it is the
 * history) with the lines only this window has seen added — the owner's line not yet recorded,
 * notices the gateway sent to the console that are not the assistant's turns. A line the
 * transcript also holds is shown once, from the transcript.
 */
export function consoleEntries(
  transcript: readonly TranscriptEvent[],
  lines: readonly ConsoleMessage[],
  context: ConsoleContext,
): ConsoleEntry[] {
  const entries: ConsoleEntry[] = [];
  const calls = new Map<string, ConsoleToolCall>();
  // Calls without a result when the turn moved on (or the gateway stopped) will never get one;
  // the kill switch cut them when it was engaged between the call and that moment.
  const cutAt = new Map<ConsoleToolCall, number>();
  const moveOn = (at: number): void => {
    for (const call of calls.values()) {
      if (call.state !== 'running') continue;
      call.state = 'interrupted';
      cutAt.set(call, at);
    }
  };
  for (const event of transcript) {
    if (TURN_MOVED_ON.has(event.kind)) moveOn(event.at);
    const entry = transcriptEntry(event, calls);
    if (entry) entries.push(entry);
  }
  if (!context.gatewayRunning) moveOn(Number.POSITIVE_INFINITY);
  const { killedAt } = context;
  for (const [call, at] of cutAt) {
    if (killedAt !== null && killedAt >= call.at && killedAt <= at) call.state = 'killed';
  }
  const used = new Set<ConsoleEntry>();
  const recorded = entries.slice();
  for (const line of lines) {
    const twin = recorded.find(
      (entry) =>
        entry.kind === 'message' &&
        !used.has(entry) &&
        entry.role === line.role &&
        entry.text === line.text &&
        Math.abs(entry.at - line.at) <= SAME_LINE_MS,
    );
    if (twin) used.add(twin);
    else entries.push({ ...line, kind: 'message' });
  }
  // Array.prototype.sort is stable: entries of the same millisecond keep their order.
  return entries.sort((a, b) => a.at - b.at);
}

function transcriptEntry(
  event: TranscriptEvent,
  calls: Map<string, ConsoleToolCall>,
): ConsoleEntry | null {
  const id = `t:${event.id}`;
  const data = event.data ?? {};
  switch (event.kind) {
    case 'inbound':
      return { kind: 'message', id, role: 'owner', text: event.text, at: event.at };
    case 'assistant':
      return { kind: 'message', id, role: 'assistant', text: event.text, at: event.at };
    case 'tool-call': {
      const call: ConsoleToolCall = {
        kind: 'tool',
        id,
        at: event.at,
        tool: typeof data['tool'] === 'string' ? data['tool'] : event.actor,
        where: data['where'] === 'host' ? 'host' : 'sandbox',
        engine: typeof data['engine'] === 'string' ? data['engine'] : null,
        args: data['args'],
        state: 'running',
        output: null,
        durationMs: null,
      };
      calls.set(String(data['callId']), call);
      return call;
    }
    case 'tool-result': {
      const call = calls.get(String(data['callId']));
      if (!call) return null;
      call.output = event.text;
      call.durationMs = typeof data['durationMs'] === 'number' ? data['durationMs'] : null;
      if (data['where'] === 'host' || data['where'] === 'sandbox') call.where = data['where'];
      // The gateway records how each call ended (and the kill switch records `killed`); results
      // stored before it did are read from their ok flag and text.
      const recorded = data['status'];
      call.state = isToolCallStatus(recorded)
        ? recorded
        : resultState(data['ok'] === true, event.text);
      return null;
    }
    case 'error':
      return { kind: 'note', id, at: event.at, text: event.text, tone: 'error' };
    case 'session':
    case 'elevated':
    case 'approval':
    case 'access':
      return { kind: 'note', id, at: event.at, text: event.text, tone: 'info' };
  }
}

function resultState(ok: boolean, text: string): ToolCallState {
  if (ok) return 'ok';
  if (text === DENIED_TEXT) return 'denied';
  return REFUSED.test(text) ? 'refused' : 'error';
}
