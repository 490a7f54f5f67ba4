import { describe, expect, it } from 'vitest';
import { formatDuration, formatSpan } from '../../src-shared/format/duration.js';

describe('durations', () => {
  it('are cut to the unit shown, never rounded up: a countdown never shows more than is left', () => {
    expect(formatDuration(849.6)).toBe('850 ms');
    expect(formatDuration(12_999)).toBe('12 s');
    expect(formatDuration(59 * 60_000 + 59_999)).toBe('59 min 59 s');
    expect(formatDuration(2 * 3_600_000 + 5 * 60_000 + 59_000)).toBe('2 h 5 min');
  });

  it('are coarse for ages: hours up to two days, then days', () => {
    expect(formatSpan(-5)).toBe('0 s');
    expect(formatSpan(119_000)).toBe('1 min');
    expect(formatSpan(47 * 3_600_000 + 3_599_999)).toBe('47 h');
    expect(formatSpan(48 * 3_600_000)).toBe('2 d');
  });
});
