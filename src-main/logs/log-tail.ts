import { open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { listLogFiles, logFileForDay } from '../logging/log-paths.js';
import { dayStamp } from '../../src-shared/format/day-stamp.js';

const READ_BYTES = 1 << 20;
const NEWLINE = 0x0a;

/** Where reading one file stopped: just after its last complete line. */
export interface ReadResult {
  offset: number;
  /** The unterminated text after it, if any (a write in progress, or a crash mid-write). */
  fragment: string;
}

/**
 * Calls `onLine` for each complete line of `path` from byte `offset` on, in large reads, and
 * says where it stopped. A missing file has no lines.
 */
export async function readLinesFrom(
  path: string,
  offset: number,
  onLine: (line: string) => void | Promise<void>,
): Promise<ReadResult> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { offset, fragment: '' };
    throw error;
  }
  try {
    let carry = Buffer.alloc(0);
    let position = offset;
    const buffer = Buffer.allocUnsafe(READ_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data =
        carry.length > 0 ? Buffer.concat([carry, buffer.subarray(0, bytesRead)]) : buffer;
      const end = carry.length + bytesRead;
      let start = 0;
      for (let at = data.indexOf(NEWLINE, 0); at !== -1 && at < end;) {
        const line = data.toString(
          'utf8',
          start,
          at > start && data[at - 1] === 0x0d ? at - 1 : at,
        );
        await onLine(line);
        start = at + 1;
        at = data.indexOf(NEWLINE, start);
      }
      carry = Buffer.from(data.subarray(start, end));
    }
    return { offset: position - carry.length, fragment: carry.toString('utf8') };
  } finally {
    await handle.close();
  }
}

/** The log files from `fromDay` to `toDay` (inclusive), oldest first, with `toDay`'s even if absent. */
export function filesBetween(pattern: string, fromDay: string, toDay: string): string[] {
  const files = listLogFiles(pattern)
    .filter((file) => file.day >= fromDay && file.day < toDay)
    .map((file) => file.path);
  return [...files, logFileForDay(pattern, dayFromStamp(toDay))];
}

/** A `YYYY-MM-DD` stamp as a local Date at noon (clear of any DST edge). */
export function dayFromStamp(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d, 12);
}

/** What following needs to know. */
export interface FollowOptions {
  pattern: string;
  /** The day being followed, and where in its file to go on from. */
  day: string;
  offset: number;
  now: () => Date;
  onLine: (line: string) => void | Promise<void>;
  signal: AbortSignal;
  pollMs?: number;
}

/**
 * Follows the log as it grows, across day boundaries: polls the current day's file for appended
 * lines and moves to the next day's file once the clock says the day changed or a later day's
 * file appears (whichever first: the writer may run on another clock or time zone). Before
 * moving on, the old file is read once more, so lines written just before midnight are not
 * lost. Polling, not fs.watch: watch events are unreliable on network and overlay file
 * systems, and a poll also notices the new day's file. Returns when `signal` aborts.
 */
export async function followLog(options: FollowOptions): Promise<void> {
  const pollMs = options.pollMs ?? 250;
  let day = options.day;
  let offset = options.offset;
  while (!options.signal.aborted) {
    const path = logFileForDay(options.pattern, dayFromStamp(day));
    offset = (await readLinesFrom(path, offset, options.onLine)).offset;
    const next = nextDay(options.pattern, day, dayStamp(options.now()));
    if (next !== null) {
      const last = await readLinesFrom(path, offset, options.onLine);
      // The old file will not grow any more: an unterminated last line is all there is.
      if (last.fragment !== '') await options.onLine(last.fragment);
      day = next;
      offset = 0;
      continue;
    }
    // Rejects only when the signal aborts, which the loop checks next.
    await sleep(pollMs, undefined, { signal: options.signal }).catch(() => undefined);
  }
}

/** The day to move on to after `day`, or null to stay. */
function nextDay(pattern: string, day: string, today: string): string | null {
  const later = listLogFiles(pattern).find((file) => file.day > day)?.day;
  if (later !== undefined && (today <= day || later < today)) return later;
  return today > day ? today : null;
}
