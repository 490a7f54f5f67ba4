import { describe, expect, it } from 'vitest';
import { formatBytes, formatCpu } from '../../src-renderer/state/byte-size.js';
import { formatAgo } from '../../src-renderer/state/relative-time.js';
import { MAX_SUMMARY, formatArgs, toolSummary } from '../../src-renderer/state/tool-summary.js';
import { formatSpan } from '../../src-shared/format/duration.js';

describe('toolSummary', () => {
  it('prefers the most telling argument, on one line', () => {
    expect(toolSummary({ command: 'ls -la\n  /tmp', timeoutSec: 5 })).toBe('ls -la /tmp');
    expect(toolSummary({ path: 'notes/todo.md' })).toBe('notes/todo.md');
    expect(toolSummary({ a: 1 })).toBe('{"a":1}');
    expect(toolSummary(undefined)).toBe('');
  });

  it('cuts long summaries with an ellipsis', () => {
    const summary = toolSummary({ command: 'x'.repeat(500) });
    expect(summary).toHaveLength(MAX_SUMMARY);
    expect(summary.endsWith('…')).toBe(true);
  });

  it('shows full arguments as indented JSON', () => {
    expect(formatArgs({ command: 'ls' })).toBe('{\n  "command": "ls"\n}');
    expect(formatArgs(undefined)).toBe('(no arguments)');
  });
});

describe('times and sizes', () => {
  it('says how long ago, coarsely', () => {
    expect(formatAgo(1000, 2000)).toBe('just now');
    expect(formatAgo(0, 42_000)).toBe('42 s ago');
    expect(formatAgo(0, 5 * 60_000 + 10)).toBe('5 min ago');
    expect(formatAgo(0, 3 * 3_600_000)).toBe('3 h ago');
    expect(formatSpan(3 * 86_400_000)).toBe('3 d');
  });

  it('formats bytes in binary units and CPU in percent', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(12.5 * 1024 * 1024)).toBe('12.5 MiB');
    expect(formatBytes(1.5 * 1024 ** 3)).toBe('1.50 GiB');
    expect(formatBytes(-1)).toBe('—');
    expect(formatCpu(0.42)).toBe('0.4 %');
    expect(formatCpu(37.4)).toBe('37 %');
  });
});
