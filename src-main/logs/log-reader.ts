import { stat } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import { listLogFiles, logFileForDay } from '../logging/log-paths.js';
import { FilteredView, filterKey, isEmptyFilter, type LogFilter } from './log-filter.js';
import { parseLogRecord, type LogRecord } from './log-record.js';
import { LineIndex } from './line-index.js';
import { lineAtTime } from './time-search.js';
import { dayStamp } from '../../src-shared/format/day-stamp.js';

/** Files whose index stays cached (today, and a day or two being looked at). */
const CACHED_FILES = 3;
/** How long a search waits for a full page once it has found part of one. */
const FIRST_RESULTS_MS = 50;
/** Filters whose matches stay cached per file (the current search, and the ones just before). */
const CACHED_VIEWS = 4;

/** A page request: which day (default today), which lines, from which position. */
export interface LogPageRequest extends LogFilter {
  day?: string;
  offset: number;
  limit: number;
}

/** A page of lines, with how many there are in all (so far, while a search is still running). */
export interface LogPage {
  day: string;
  /** Position of the first line of `lines` among the lines the filter lets through. */
  offset: number;
  lines: LogRecord[];
  /** Lines the filter let through so far: exact once `complete`. */
  total: number;
  /** Whether the whole file has been searched (always true without a filter). */
  complete: boolean;
  /** Lines in the file. */
  fileLines: number;
}

/** One day with a log file. */
export interface LogDay {
  day: string;
  bytes: number;
}

/** A small least-recently-used map that tells evicted values goodbye. */
class Lru<V> {
  private readonly map = new Map<string, V>();
  constructor(
    private readonly limit: number,
    private readonly evicted: (value: V) => void = () => undefined,
  ) {}

  values(): IterableIterator<V> {
    return this.map.values();
  }

  get(key: string, make: () => V): V {
    let value = this.map.get(key);
    if (value === undefined) value = make();
    else this.map.delete(key);
    this.map.set(key, value);
    for (const [oldKey, old] of this.map) {
      if (this.map.size <= this.limit) break;
      this.map.delete(oldKey);
      this.evicted(old);
    }
    return value;
  }

  clear(): void {
    for (const value of this.map.values()) this.evicted(value);
    this.map.clear();
  }
}

interface CachedFile {
  index: LineIndex;
  views: Lru<FilteredView>;
}

/** A calendar day stamp as a local Date (noon, well clear of any DST edge). */
function dateOfDay(day: string): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y!, m! - 1, d, 12);
}

/**
 * Reads the day-by-day log files for the viewer: every heavy step (indexing, searching,
 * locating a time) runs here, in the supervisor, and only small pages go to the renderer. The
 * index and recent searches are cached per file, so scrolling and polling never rescan: each
 * call only indexes what was appended since the last one.
 */
export class LogReader {
  private readonly files = new Lru<CachedFile>(CACHED_FILES, (file) => file.views.clear());

  constructor(
    private readonly pattern: () => string | Promise<string>,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** The days that have a log file, oldest first, and today (which may have none yet). */
  async days(): Promise<{ today: string; days: LogDay[] }> {
    const files = listLogFiles(await this.pattern());
    const days = await Promise.all(
      files.map(async (file) => ({
        day: file.day,
        bytes: await stat(file.path).then(
          (s) => s.size,
          () => 0,
        ),
      })),
    );
    return { today: dayStamp(this.now()), days };
  }

  /** A page of a day's lines, filtered. */
  async query(request: LogPageRequest): Promise<LogPage> {
    const { day, file } = await this.open(request.day);
    const view = this.view(file, request);
    if (!view) {
      const total = file.index.lineCount();
      const from = Math.min(request.offset, total);
      const to = Math.min(from + request.limit, total);
      return this.page(day, file.index, from, rangeOf(from, to), total, true);
    }
    // Wait for the whole page, or (a rare term in a long file) only until the page has some
    // lines and a moment has passed: the viewer polls for the rest while the scan goes on.
    const started = performance.now();
    await view.until(
      () =>
        view.matched() >= request.offset + request.limit ||
        (view.matched() > request.offset && performance.now() - started >= FIRST_RESULTS_MS),
    );
    const lines = view.slice(request.offset, request.offset + request.limit);
    return this.page(day, file.index, request.offset, lines, view.matched(), view.complete());
  }

  /** The page that starts at the first (filtered) line at or after `time`. */
  async around(
    request: Omit<LogPageRequest, 'offset'> & { time: string },
  ): Promise<LogPage & { target: number }> {
    const { file } = await this.open(request.day);
    const line = lineAtTime(file.index, Date.parse(request.time));
    const view = this.view(file, request);
    let target = line;
    if (view) {
      await view.untilLine(line);
      await view.untilMatched(view.positionOf(line) + 1);
      target = view.positionOf(line);
    }
    const page = await this.query({ ...request, offset: target });
    return { ...page, target };
  }

  /** Forgets every index (the supervisor is closing). */
  close(): void {
    this.files.clear();
  }

  private async open(day: string | undefined): Promise<{ day: string; file: CachedFile }> {
    const resolved = day ?? dayStamp(this.now());
    const path = logFileForDay(await this.pattern(), dateOfDay(resolved));
    const file = this.files.get(path, () => ({
      index: new LineIndex(path),
      views: new Lru<FilteredView>(CACHED_VIEWS, (view) => view.dispose()),
    }));
    await file.index.refresh();
    return { day: resolved, file };
  }

  private view(file: CachedFile, filter: LogFilter): FilteredView | null {
    if (isEmptyFilter(filter)) return null;
    const key = `${file.index.generation}:${filterKey(filter)}`;
    const view = file.views.get(key, () => new FilteredView(file.index, filter));
    // Only the latest search scans on in the background; earlier ones wait until asked again.
    for (const other of file.views.values()) if (other !== view) other.pause();
    view.resume(); // the index may have grown since the last call
    return view;
  }

  private page(
    day: string,
    index: LineIndex,
    offset: number,
    lineNumbers: number[],
    total: number,
    complete: boolean,
  ): LogPage {
    const raws = index.readSelected(lineNumbers);
    const lines = raws.map((raw, i) => parseLogRecord(raw, lineNumbers[i]!));
    return { day, offset, lines, total, complete, fileLines: index.lineCount() };
  }
}

function rangeOf(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}
