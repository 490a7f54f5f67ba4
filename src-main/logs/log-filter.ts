import type { LogLevel } from '../../src-shared/config/logging-schema.js';
import type { FileHandle } from 'node:fs/promises';
import { SCAN_CHUNK_BYTES, type LineIndex } from './line-index.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** Whole lines read in one go, as latin1 text so that char offsets are byte offsets. */
interface Chunk {
  first: number;
  last: number;
  base: number;
  text: string;
}

/** What the viewer narrows lines to. Empty lists and empty text mean "no condition". */
export interface LogFilter {
  levels?: readonly LogLevel[];
  processes?: readonly string[];
  scopes?: readonly string[];
  text?: string;
}

/** Whether a filter lets every line through (then the index itself is the view). */
export function isEmptyFilter(filter: LogFilter): boolean {
  return (
    !filter.levels?.length && !filter.processes?.length && !filter.scopes?.length && !filter.text
  );
}

/** A stable key for caching a filter's view. */
export function filterKey(filter: LogFilter): string {
  const sorted = (list: readonly string[] | undefined): string[] => [...(list ?? [])].sort();
  return JSON.stringify([
    sorted(filter.levels),
    sorted(filter.processes),
    sorted(filter.scopes),
    filter.text ?? '',
  ]);
}

/**
 * Finds `"key":"` occurrences in one chunk, line by line, without rescanning: the last hit is
 * remembered, so a key missing from most lines costs one pass over the chunk, not one per line.
 */
class KeyCursor {
  private readonly needle: string;
  private hit = -2;

  constructor(
    private readonly chunk: string,
    key: string,
  ) {
    this.needle = `"${key}":"`;
  }

  /** The key's string value in the line `[start, end)`, or null. */
  valueIn(start: number, end: number): string | null {
    if (this.hit !== -1 && this.hit < start) this.hit = this.chunk.indexOf(this.needle, start);
    if (this.hit === -1 || this.hit >= end) return null;
    const from = this.hit + this.needle.length;
    const to = this.chunk.indexOf('"', from);
    return to === -1 || to > end ? null : this.chunk.slice(from, to);
  }
}

/** A string's UTF-8 bytes as latin1 text, one char per byte, as the scanner sees lines. */
function latin1(text: string): string {
  return Buffer.from(text, 'utf8').toString('latin1');
}

/** Smart case, as in ripgrep: an all-lowercase term matches any case, otherwise exactly. */
function caseInsensitive(text: string): boolean {
  return text === text.toLowerCase();
}

/**
 * The line numbers matching one filter in one file, found by streaming the file in large
 * chunks. The scan runs in the background until the end of the file (so the count becomes
 * exact), yielding between chunks so the supervisor keeps serving; callers wait only until
 * the matches they need are found, which is what makes the first page of a search fast.
 * Lines are tested on their raw bytes: fields by their `"key":"value"` text, the search term
 * anywhere in the line. Lines that are not JSON pass the level condition (a crash mid-write is
 * what one looks for) but not the process or scope ones (they name neither).
 */
export class FilteredView {
  private matches = new Uint32Array(1 << 10);
  private count = 0;
  private scanned = 0;
  private loop: Promise<void> | null = null;
  private failure: Error | null = null;
  private disposed = false;
  private paused = false;
  private readonly waiters = new Set<() => void>();
  private readonly generation: number;
  private readonly levels: Set<string> | null;
  private readonly processes: Set<string> | null;
  private readonly scopes: Set<string> | null;
  private readonly pattern: RegExp | null;

  constructor(
    private readonly index: LineIndex,
    filter: LogFilter,
  ) {
    this.generation = index.generation;
    // Compared with values cut from latin1 text, so kept as their UTF-8 bytes in latin1 too.
    const set = (list: readonly string[] | undefined): Set<string> | null =>
      list?.length ? new Set(list.map(latin1)) : null;
    this.levels = set(filter.levels);
    this.processes = set(filter.processes);
    this.scopes = set(filter.scopes);
    const text = filter.text ?? '';
    // Lines are scanned as latin1 text (one char per byte), so the term is its UTF-8 bytes.
    const term = latin1(text).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    this.pattern = text === '' ? null : new RegExp(term, caseInsensitive(text) ? 'gi' : 'g');
  }

  /** Whether the file was replaced since this view was made (then it is discarded). */
  stale(): boolean {
    return this.generation !== this.index.generation;
  }

  matched(): number {
    return this.count;
  }

  /** Whether every complete line has been scanned. */
  complete(): boolean {
    return this.scanned >= this.index.completeLines();
  }

  scannedLines(): number {
    return this.scanned;
  }

  /** The line numbers of matches `[from, to)`. */
  slice(from: number, to: number): number[] {
    return Array.from(this.matches.subarray(from, Math.min(to, this.count)));
  }

  /** The position among the matches of the first match at or after `line`. */
  positionOf(line: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.matches[mid]! < line) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Resolves once `enough()` holds or the scan has reached the end of the file. */
  until(enough: () => boolean): Promise<void> {
    const settled = (): boolean => this.failure !== null || enough() || this.complete();
    if (!settled()) this.resume();
    return new Promise<void>((resolve, reject) => {
      const check = (): void => {
        if (!settled()) return;
        this.waiters.delete(check);
        if (this.failure !== null) reject(this.failure);
        else resolve();
      };
      this.waiters.add(check);
      check();
    });
  }

  /** Resolves once at least `count` matches are known (or there are no more). */
  untilMatched(count: number): Promise<void> {
    return this.until(() => this.count >= count);
  }

  /** Resolves once every line before `line` has been tested. */
  untilLine(line: number): Promise<void> {
    return this.until(() => this.scanned >= line);
  }

  /** Scans on (e.g. after the index grew). */
  resume(): void {
    this.paused = false;
    if (this.disposed || this.loop || this.complete()) return;
    this.failure = null;
    this.loop = this.run().finally(() => {
      this.loop = null;
    });
  }

  /** Stops scanning until the next call that needs this view: another search took over. */
  pause(): void {
    this.paused = true;
  }

  /** Stops the background scan: the view left the cache. */
  dispose(): void {
    this.disposed = true;
  }

  private wake(): void {
    for (const check of [...this.waiters]) check();
  }

  private async run(): Promise<void> {
    try {
      const handle = await this.index.openFile();
      try {
        // The next chunk is read while this one is searched: the read and the search overlap.
        let next = this.readChunk(handle, this.scanned);
        while (!this.disposed && !this.paused && !this.stale()) {
          const chunk = await next;
          if (chunk === null || this.stale()) break;
          next = this.readChunk(handle, chunk.last);
          this.search(chunk);
          this.wake();
          // Let other calls (the kill switch first of all) run between chunks.
          await new Promise<void>((resolve) => setImmediate(resolve));
        }
        // The read ahead that the loop stopped before using: its result (or failure) is moot.
        await next.catch(() => null);
      } finally {
        await handle.close();
      }
    } catch (error) {
      this.failure = error instanceof Error ? error : new Error(describeError(error));
    }
    this.wake();
  }

  /** Reads whole lines from `first` on, about one chunk's worth (at least one line). */
  private async readChunk(handle: FileHandle, first: number): Promise<Chunk | null> {
    const index = this.index;
    if (first >= index.completeLines()) return null;
    const base = index.lineStart(first);
    let last = Math.min(index.lineAfterOffset(base + SCAN_CHUNK_BYTES) - 1, index.completeLines());
    if (last <= first) last = first + 1;
    const length = Math.min(index.lineStart(last) - base, SCAN_CHUNK_BYTES);
    const buffer = Buffer.allocUnsafe(length);
    const { bytesRead } = await handle.read(buffer, 0, length, base);
    return { first, last, base, text: buffer.toString('latin1', 0, bytesRead) };
  }

  private search({ first, last, base, text }: Chunk): void {
    const index = this.index;
    if (first !== this.scanned) return; // a stale read (the view was reset meanwhile)
    const fields = {
      level: new KeyCursor(text, 'level'),
      process: new KeyCursor(text, 'process'),
      scope: new KeyCursor(text, 'scope'),
    };
    const keep = (line: number): void => {
      const start = index.lineStart(line) - base;
      const end = Math.min(index.lineEnd(line) - base, text.length);
      if (this.passes(fields, start, end)) this.push(line);
    };
    if (this.pattern === null) {
      for (let line = first; line < last; line++) keep(line);
    } else {
      // A literal regex: V8 searches it with Boyer-Moore, also ignoring case, without first
      // copying the chunk to lower case (which costs more than the search itself).
      const pattern = this.pattern;
      pattern.lastIndex = 0;
      let line = first;
      for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
        while (line + 1 < last && index.lineStart(line + 1) - base <= match.index) line++;
        keep(line);
        if (line + 1 >= last) break;
        pattern.lastIndex = index.lineStart(line + 1) - base;
      }
    }
    this.scanned = last;
  }

  private passes(fields: Record<'level' | 'process' | 'scope', KeyCursor>, a: number, b: number) {
    if (this.levels) {
      const level = fields.level.valueIn(a, b);
      if (level !== null && !this.levels.has(level)) return false;
    }
    if (this.processes) {
      const name = fields.process.valueIn(a, b);
      if (name === null || !this.processes.has(name)) return false;
    }
    if (this.scopes) {
      const name = fields.scope.valueIn(a, b);
      if (name === null || !this.scopes.has(name)) return false;
    }
    return true;
  }

  private push(line: number): void {
    if (this.count === this.matches.length) {
      const grown = new Uint32Array(this.matches.length * 2);
      grown.set(this.matches);
      this.matches = grown;
    }
    this.matches[this.count++] = line;
  }
}
