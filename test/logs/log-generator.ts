import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/** A term that appears in one line of every `SPREAD_EVERY`: matches spread through the file. */
export const SPREAD_TERM = 'spread-marker';
export const SPREAD_EVERY = 10_000;
/** A term that appears only in the last `END_LINES` lines. */
export const END_TERM = 'tail-marker';
export const END_LINES = 50;
/** Every `MALFORMED_EVERY`th line is cut short, as by a crash mid-write. */
export const MALFORMED_EVERY = 250_000;

const LEVELS = ['debug', 'info', 'info', 'info', 'warn', 'debug', 'info', 'error'] as const;
const PROCESSES = ['gateway', 'gateway', 'supervisor', 'cli'] as const;
const SCOPES = ['telegram', 'whatsapp', 'agent', 'sandbox', 'pairing', 'main', 'relay'] as const;

/** What a generated file holds, for tests to check against. */
export interface GeneratedLog {
  lines: number;
  /** Line i's time in epoch ms is `startMs + i * stepMs`. */
  startMs: number;
  stepMs: number;
}

/** The fields of generated line `i` (the file holds exactly these, as JSON). */
export function generatedLine(i: number, startMs: number, stepMs: number, lines: number): string {
  const tags = [
    i % SPREAD_EVERY === SPREAD_EVERY / 2 ? SPREAD_TERM : '',
    i >= lines - END_LINES ? END_TERM : '',
  ].join('');
  const line = JSON.stringify({
    time: new Date(startMs + i * stepMs).toISOString(),
    level: LEVELS[i % LEVELS.length],
    process: PROCESSES[i % PROCESSES.length],
    scope: SCOPES[i % SCOPES.length],
    msg: `handled update ${i}${tags === '' ? '' : ` ${tags}`}`,
    seq: i,
    chatId: 1000 + (i % 97),
  });
  return i > 0 && i % MALFORMED_EVERY === 0 ? line.slice(0, 40) : line;
}

/**
 * Writes a time-ordered log of `lines` lines to `path`, fast: lines are built in batches and
 * written in large chunks (1,000,000 lines, about 170 MB, take a second or two).
 */
export function generateLogFile(
  path: string,
  options: { lines: number; startMs: number; stepMs: number },
): GeneratedLog {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, 'w');
  try {
    const batch = 20_000;
    for (let from = 0; from < options.lines; from += batch) {
      const to = Math.min(from + batch, options.lines);
      const parts: string[] = [];
      for (let i = from; i < to; i++) {
        parts.push(generatedLine(i, options.startMs, options.stepMs, options.lines));
      }
      writeSync(fd, parts.join('\n') + '\n');
    }
  } finally {
    closeSync(fd);
  }
  return { ...options };
}
