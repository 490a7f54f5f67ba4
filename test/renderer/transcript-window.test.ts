import { describe, expect, it } from 'vitest';
import type { TranscriptEvent } from '../../src-shared/domain/transcript.js';
import {
  indexOfEvent,
  transcriptRows,
  mergeEvents,
} from '../../src-renderer/state/transcript-window.js';

const ev = (id: number, extra: Partial<TranscriptEvent> = {}): TranscriptEvent => ({
  id,
  sessionKey: 's',
  at: id,
  kind: 'inbound',
  actor: 'a',
  text: `t${id}`,
  data: null,
  ...extra,
});
const ids = (events: readonly TranscriptEvent[]) => events.map((e) => e.id);

describe('mergeEvents', () => {
  it('appends, prepends and merges overlaps into one id-ordered list without duplicates', () => {
    const loaded = [ev(5), ev(6), ev(7)];
    expect(ids(mergeEvents(loaded, [ev(8), ev(9)]))).toEqual([5, 6, 7, 8, 9]);
    expect(ids(mergeEvents(loaded, [ev(2), ev(4)]))).toEqual([2, 4, 5, 6, 7]);
    expect(ids(mergeEvents(loaded, [ev(9), ev(6), ev(4), ev(9)]))).toEqual([4, 5, 6, 7, 9]);
    expect(ids(mergeEvents([], [ev(3), ev(1)]))).toEqual([1, 3]);
  });

  it('returns the loaded list itself when nothing comes in, so memoised rows stay put', () => {
    const loaded = [ev(1)];
    expect(mergeEvents(loaded, [])).toBe(loaded);
  });
});

describe('transcriptRows', () => {
  it('pairs results with calls by callId, one row each, and keeps results without one', () => {
    const result = ev(3, { kind: 'tool-result', data: { callId: 'c1', ok: true } });
    const orphan = ev(2, { kind: 'tool-result', data: { ok: true } });
    const call = ev(1, { kind: 'tool-call', data: { callId: 'c1', tool: 'exec' } });
    const { rows, results, superseded } = transcriptRows([call, orphan, result]);
    expect(results.get('c1')).toBe(result);
    expect(results.size).toBe(1);
    // The paired result lives on its call's row; the one without a call keeps its own.
    expect(rows).toEqual([call, orphan]);
    expect(superseded.size).toBe(0);
  });

  it('shows a result alone when its call is outside the loaded window', () => {
    const result = ev(7, { kind: 'tool-result', data: { callId: 'c0', ok: false } });
    expect(transcriptRows([ev(6), result]).rows).toEqual([ev(6), result]);
  });

  it('marks a call without a result as superseded once the turn went on past it, never the last one', () => {
    const events = [
      ev(1, { kind: 'tool-call', data: { callId: 'lost' } }),
      ev(2, { kind: 'inbound' }),
      ev(3, { kind: 'assistant' }),
      ev(4, { kind: 'tool-call', data: { callId: 'live' } }),
      ev(5, { kind: 'inbound' }),
    ];
    const { superseded, rows } = transcriptRows(events);
    expect([...superseded]).toEqual(['lost']);
    expect(rows).toBe(events);
  });
});

describe('indexOfEvent', () => {
  it('finds an id by binary search, or -1', () => {
    const events = [ev(2), ev(4), ev(9), ev(12)];
    expect(indexOfEvent(events, 9)).toBe(2);
    expect(indexOfEvent(events, 2)).toBe(0);
    expect(indexOfEvent(events, 12)).toBe(3);
    expect(indexOfEvent(events, 5)).toBe(-1);
    expect(indexOfEvent([], 1)).toBe(-1);
  });
});
