import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  OutputCollector,
  truncateMiddle,
  truncationMarker,
} from '../../src-main/sandbox/output-limit.js';

describe('output truncation', () => {
  it('leaves output within the limit untouched', () => {
    expect(truncateMiddle('hello\nworld\n', 12)).toBe('hello\nworld\n');
    const collector = new OutputCollector(12);
    collector.write(Buffer.from('hello\nworld\n'));
    expect(collector.truncated).toBe(false);
  });

  it('keeps the head and the tail with a marker saying how much was dropped', () => {
    const text = Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n');
    const out = truncateMiddle(text, 100);
    expect(out.startsWith('line 0\nline 1\n')).toBe(true);
    expect(out.endsWith('line 998\nline 999')).toBe(true);
    const dropped = Buffer.byteLength(text) - 100;
    expect(out).toContain(truncationMarker(dropped));
    expect(Buffer.byteLength(out)).toBe(100 + Buffer.byteLength(truncationMarker(dropped)));
  });

  it('gives the same result however the output is chunked', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 30 }),
        fc.integer({ min: 2, max: 300 }),
        (chunks, max) => {
          const whole = Buffer.concat(chunks);
          const streamed = new OutputCollector(max);
          for (const chunk of chunks) streamed.write(Buffer.from(chunk));
          const once = new OutputCollector(max);
          once.write(whole);
          expect(streamed.text()).toBe(once.text());
          expect(streamed.totalBytes).toBe(whole.length);
          expect(streamed.truncated).toBe(whole.length > max);
          if (!streamed.truncated) expect(streamed.bytes().equals(whole)).toBe(true);
        },
      ),
    );
  });

  it('never splits a multi-byte character at a cut', () => {
    const text = '€'.repeat(1000);
    const out = truncateMiddle(text, 101);
    expect(out).not.toContain('\ufffd');
    expect(out.replace(/\n\[\.\.\. \d+ bytes truncated \.\.\.\]\n/, '')).toMatch(/^€+$/);
  });

  it('holds bounded memory for huge output', () => {
    const collector = new OutputCollector(1024);
    const chunk = Buffer.alloc(64 * 1024, 'x');
    for (let i = 0; i < 200; i++) collector.write(chunk);
    expect(collector.totalBytes).toBe(200 * 64 * 1024);
    expect(Buffer.byteLength(collector.text())).toBeLessThan(1100);
  });
});
