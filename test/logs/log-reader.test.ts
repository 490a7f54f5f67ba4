import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logFileForDay } from '../../src-main/logging/log-paths.js';
import { LogReader } from '../../src-main/logs/log-reader.js';
import { followLog } from '../../src-main/logs/log-tail.js';
import { parseSince } from '../../src-main/logs/since.js';
import { waitFor } from '../helpers/wait.js';

let dir: string;
let pattern: string;
const day = '2025-03-04';
const dayDate = new Date(2025, 2, 4, 12);
const at = (i: number): string => new Date(Date.UTC(2025, 2, 4, 0, 0, i)).toISOString();

function line(i: number, extra: Record<string, unknown> = {}): string {
  const levels = ['debug', 'info', 'warn', 'error'];
  return JSON.stringify({
    time: at(i),
    level: levels[i % 4],
    process: i % 2 === 0 ? 'gateway' : 'supervisor',
    scope: i % 3 === 0 ? 'telegram' : 'agent',
    msg: `message ${i}`,
    seq: i,
    ...extra,
  });
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'clawdbot-logs-'));
  pattern = join(dir, 'clawdbot-YYYY-MM-DD.log');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function writeDay(lines: string[], date = dayDate): string {
  const path = logFileForDay(pattern, date);
  writeFileSync(path, lines.map((l) => `${l}\n`).join(''));
  return path;
}

describe('LogReader', () => {
  it('pages through a day, with malformed lines as raw text and a trailing fragment', async () => {
    const lines = Array.from({ length: 1000 }, (_, i) => line(i));
    lines[500] = '{"time":"2025-03-04T00:08:20.000Z","lev';
    const path = writeDay(lines);
    appendFileSync(path, '{"partial":');
    const reader = new LogReader(() => pattern);
    const page = await reader.query({ day, offset: 495, limit: 10 });
    expect(page.total).toBe(1001);
    expect(page.complete).toBe(true);
    expect(page.lines.map((l) => l.line)).toEqual([
      495, 496, 497, 498, 499, 500, 501, 502, 503, 504,
    ]);
    expect(page.lines[0]).toMatchObject({
      level: 'error',
      process: 'supervisor',
      msg: 'message 495',
    });
    expect(page.lines[0]!.fields).toEqual({ seq: 495 });
    expect(page.lines[5]).toMatchObject({ malformed: true, raw: lines[500] });
    const end = await reader.query({ day, offset: 1000, limit: 10 });
    expect(end.lines).toMatchObject([{ line: 1000, malformed: true, raw: '{"partial":' }]);
  });

  it('filters by level, process, scope and text (smart case)', async () => {
    writeDay([
      ...Array.from({ length: 400 }, (_, i) => line(i)),
      line(400, { msg: 'Needle Here' }),
    ]);
    const reader = new LogReader(() => pattern);
    const errors = await reader.query({ day, levels: ['error'], offset: 0, limit: 500 });
    expect(errors.total).toBe(100);
    expect(errors.lines.every((l) => l.level === 'error')).toBe(true);
    const mixed = await reader.query({
      day,
      levels: ['warn', 'error'],
      processes: ['gateway'],
      scopes: ['telegram'],
      offset: 0,
      limit: 500,
    });
    // i%4 ∈ {2} (even, so gateway) and i%3 === 0: i ≡ 6 (mod 12).
    expect(mixed.lines.map((l) => l.line)).toEqual(
      Array.from({ length: 34 }, (_, k) => 6 + 12 * k).filter((i) => i < 400),
    );
    expect((await reader.query({ day, text: 'needle', offset: 0, limit: 5 })).total).toBe(1);
    expect((await reader.query({ day, text: 'Needle', offset: 0, limit: 5 })).total).toBe(1);
    expect((await reader.query({ day, text: 'NEEDLE', offset: 0, limit: 5 })).total).toBe(0);
    const text = await reader.query({ day, text: 'message 39', offset: 0, limit: 50 });
    expect(text.lines.map((l) => l.line)).toEqual([
      39, 390, 391, 392, 393, 394, 395, 396, 397, 398, 399,
    ]);
  });

  it('jumps to a time by binary search, also through a filter', async () => {
    const lines = Array.from({ length: 5000 }, (_, i) => line(i));
    lines[2999] = 'garbage';
    writeDay(lines);
    const reader = new LogReader(() => pattern);
    expect((await reader.around({ day, time: at(4000), limit: 5 })).target).toBe(4000);
    // A line without a time right before the target has no time of its own: it comes first.
    expect((await reader.around({ day, time: at(3000), limit: 5 })).target).toBe(2999);
    expect((await reader.around({ day, time: at(2998) + '', limit: 5 })).lines[0]!.line).toBe(2998);
    const filtered = await reader.around({ day, levels: ['error'], time: at(3001), limit: 5 });
    expect(filtered.lines[0]!.line).toBe(3003);
    expect(filtered.target).toBe(750);
    expect((await reader.around({ day, time: at(99_999), limit: 5 })).lines).toEqual([]);
  });

  it('sees lines appended after indexing, also in a cached search', async () => {
    const path = writeDay(Array.from({ length: 100 }, (_, i) => line(i)));
    const reader = new LogReader(() => pattern);
    expect((await reader.query({ day, offset: 0, limit: 1 })).total).toBe(100);
    expect((await reader.query({ day, levels: ['error'], offset: 0, limit: 100 })).total).toBe(25);
    appendFileSync(path, Array.from({ length: 20 }, (_, i) => `${line(100 + i)}\n`).join(''));
    expect((await reader.query({ day, offset: 0, limit: 1 })).total).toBe(120);
    const again = await reader.query({ day, levels: ['error'], offset: 0, limit: 100 });
    expect(again.total).toBe(30);
    expect(again.lines.at(-1)!.line).toBe(119);
  });

  it('reads today by its clock, and the next day once the clock passes midnight', async () => {
    writeDay([line(1)]);
    writeDay([line(2), line(3)], new Date(2025, 2, 5, 12));
    let now = new Date(2025, 2, 4, 23, 59);
    const reader = new LogReader(
      () => pattern,
      () => now,
    );
    expect((await reader.query({ offset: 0, limit: 10 })).total).toBe(1);
    now = new Date(2025, 2, 5, 0, 1);
    const next = await reader.query({ offset: 0, limit: 10 });
    expect(next).toMatchObject({ day: '2025-03-05', total: 2 });
    expect((await reader.days()).days.map((d) => d.day)).toEqual(['2025-03-04', '2025-03-05']);
  });
});

describe('followLog', () => {
  it('prints appended lines and switches to the next day at midnight', async () => {
    const today = writeDay([line(0)]);
    let now = new Date(2025, 2, 4, 23, 59);
    const seen: string[] = [];
    const controller = new AbortController();
    const done = followLog({
      pattern,
      day,
      offset: Buffer.byteLength(`${line(0)}\n`),
      now: () => now,
      onLine: (l) => void seen.push(l),
      signal: controller.signal,
      pollMs: 10,
    });
    const waitSeen = (n: number): Promise<boolean> =>
      waitFor(`${n} lines followed`, () => seen.length >= n);
    appendFileSync(today, `${line(1)}\n`);
    await waitSeen(1);
    now = new Date(2025, 2, 5, 0, 0, 1);
    appendFileSync(today, `${line(2)}\n`); // written just before midnight, read after
    const tomorrow = logFileForDay(pattern, new Date(2025, 2, 5, 12));
    // Read after the clock passed midnight, so the follower is moving to the new day.
    await waitSeen(2);
    appendFileSync(tomorrow, `${line(3)}\n`);
    await waitSeen(3);
    appendFileSync(today, `${line(99)}\n`); // the old file is no longer read
    appendFileSync(tomorrow, `${line(4)}\n`);
    await waitSeen(4);
    controller.abort();
    await done;
    expect(seen.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([1, 2, 3, 4]);
  });

  it('moves on when a later day file appears, even if its own clock lags', async () => {
    writeDay([]);
    const seen: string[] = [];
    const controller = new AbortController();
    const done = followLog({
      pattern,
      day,
      offset: 0,
      now: () => dayDate,
      onLine: (l) => void seen.push(l),
      signal: controller.signal,
      pollMs: 10,
    });
    writeDay([line(7)], new Date(2025, 2, 5, 12));
    await waitFor('the later day followed', () => seen.length >= 1);
    controller.abort();
    await done;
    expect(seen.map((l) => (JSON.parse(l) as { seq: number }).seq)).toEqual([7]);
  });
});

describe('parseSince', () => {
  const now = new Date('2025-03-04T12:00:00Z');
  it('reads durations and ISO times, and rejects the rest', () => {
    expect(parseSince('10m', now)?.toISOString()).toBe('2025-03-04T11:50:00.000Z');
    expect(parseSince('2h', now)?.toISOString()).toBe('2025-03-04T10:00:00.000Z');
    expect(parseSince('1d', now)?.toISOString()).toBe('2025-03-03T12:00:00.000Z');
    expect(parseSince('2025-03-01T00:00:00Z', now)?.toISOString()).toBe('2025-03-01T00:00:00.000Z');
    expect(parseSince('yesterday', now)).toBeNull();
    expect(parseSince('10x', now)).toBeNull();
  });
});
