import { describe, expect, it } from 'vitest';
import { DENIED_TEXT } from '../../src-shared/domain/approvals.js';
import type { TranscriptEvent } from '../../src-shared/domain/transcript.js';
import { consoleEntries } from '../../src-renderer/state/console-messages.js';

let nextId = 1;
const ev = (
  kind: TranscriptEvent['kind'],
  at: number,
  text: string,
  data: Record<string, unknown> | null = null,
): TranscriptEvent => ({
  id: nextId++,
  sessionKey: 'main',
  at,
  kind,
  actor: kind === 'inbound' ? 'owner' : 'assistant',
  text,
  data,
});
const call = (at: number, callId: string, where = 'host') =>
  ev('tool-call', at, `bash: ls`, { tool: 'bash', callId, args: { command: 'ls' }, where });
const result = (at: number, callId: string, ok: boolean, text: string) =>
  ev('tool-result', at, text, { tool: 'bash', callId, ok, where: 'host', durationMs: 5 });
const running = { killedAt: null, gatewayRunning: true };

describe('consoleEntries', () => {
  it('joins each call with its result and says how it ended', () => {
    const entries = consoleEntries(
      [
        ev('inbound', 1, 'hi'),
        call(2, 'a'),
        result(3, 'a', true, 'exit code 0'),
        call(4, 'b'),
        result(5, 'b', false, DENIED_TEXT),
        call(6, 'c'),
        result(7, 'c', false, 'tool "rm" is not available in this session'),
        call(8, 'd'),
        result(9, 'd', false, 'exit code 1'),
        ev('assistant', 10, 'done'),
      ],
      [],
      running,
    );
    expect(entries.map((e) => (e.kind === 'tool' ? e.state : e.kind))).toEqual([
      'message',
      'ok',
      'denied',
      'refused',
      'error',
      'message',
    ]);
  });

  it('takes the final state and the engine the gateway and the kill switch recorded over any guess', () => {
    const entries = consoleEntries(
      [
        ev('inbound', 1, 'hi'),
        ev('tool-call', 2, 'bash: sleep 600', {
          tool: 'bash',
          callId: 'k',
          args: { command: 'sleep 600' },
          where: 'sandbox',
          engine: 'tcp://10.0.0.5:2376',
          runtime: 'runsc',
        }),
        // Written by the kill switch after the gateway died: no kill time is known to the page.
        ev('tool-result', 3, 'killed by the kill switch', {
          tool: 'bash',
          callId: 'k',
          ok: false,
          status: 'killed',
          where: 'sandbox',
        }),
      ],
      [],
      running,
    );
    expect(entries.find((e) => e.kind === 'tool')).toMatchObject({
      state: 'killed',
      where: 'sandbox',
      engine: 'tcp://10.0.0.5:2376',
    });
  });

  it('tells a running call from one the kill switch cut and one the gateway dropped', () => {
    const open = [ev('inbound', 1, 'hi'), call(2, 'a')];
    const state = (context: { killedAt: number | null; gatewayRunning: boolean }) =>
      consoleEntries(open, [], context).find((e) => e.kind === 'tool');
    expect(state(running)).toMatchObject({ state: 'running' });
    expect(state({ killedAt: 3, gatewayRunning: false })).toMatchObject({ state: 'killed' });
    expect(state({ killedAt: null, gatewayRunning: false })).toMatchObject({
      state: 'interrupted',
    });
    // The turn moved on before the kill: that call was not the kill switch's doing.
    const movedOn = [...open, ev('inbound', 5, 'again')];
    expect(
      consoleEntries(movedOn, [], { killedAt: 9, gatewayRunning: true }).find(
        (e) => e.kind === 'tool',
      ),
    ).toMatchObject({ state: 'interrupted' });
  });

  it('shows a line once when the transcript has it, and keeps the lines it does not have', () => {
    const entries = consoleEntries(
      [ev('inbound', 100, 'hello'), ev('assistant', 200, 'hi there')],
      [
        { id: 'o1', role: 'owner', text: 'hello', at: 99 },
        { id: 'a1', role: 'assistant', text: 'hi there', at: 201 },
        { id: 'n1', role: 'assistant', text: 'a notice', at: 300 },
        { id: 'n2', role: 'assistant', text: 'a notice', at: 400 },
      ],
      running,
    );
    expect(entries.map((e) => (e.kind === 'message' ? e.text : e.kind))).toEqual([
      'hello',
      'hi there',
      'a notice',
      'a notice',
    ]);
  });
});
