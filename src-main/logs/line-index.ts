import { closeSync, openSync, readSync } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';

/** Bytes read per step when scanning: large reads are what make a 1,000,000-line scan fast. */
export const SCAN_CHUNK_BYTES = 4 << 20;
/** The most bytes of one line ever read back for display. */
const MAX_LINE_BYTES = 64 << 10;
/** Lines closer together than this are read back in one read. */
const SPAN_BYTES = 1 << 20;
const NEWLINE = 0x0a;

function missing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/**
 * The byte offset of every line start of one log file, built by scanning the file in large
 * chunks and kept up to date by scanning only what was appended since. Lines are numbered from
 * 0. Only newline-terminated lines are "complete"; a trailing fragment (a write in progress, or
 * a crash mid-write) counts as one more line whose start is already known, so its number never
 * changes once the rest of it arrives.
 */
export class LineIndex {
  /** `starts[i]` is where line i begins; `starts[complete]` is just after the last newline. */
  private starts = new Float64Array(1 << 12);
  private complete = 0;
  private size = 0;
  private inode = -1;
  private refreshing: Promise<void> | null = null;
  /** Bumped when the file was replaced or truncated: every line number before it is void. */
  generation = 0;

  constructor(readonly path: string) {}

  /** Lines, the trailing fragment included. */
  lineCount(): number {
    return this.complete + (this.size > this.indexedBytes() ? 1 : 0);
  }

  /** Newline-terminated lines: the ones whose content can no longer change. */
  completeLines(): number {
    return this.complete;
  }

  fileSize(): number {
    return this.size;
  }

  /** Where line `i` starts (`i` may be `completeLines()`: the end of the indexed bytes). */
  lineStart(i: number): number {
    return this.starts[i]!;
  }

  /** Where line `i` ends, its newline excluded. */
  lineEnd(i: number): number {
    return i < this.complete ? this.starts[i + 1]! - 1 : this.size;
  }

  private indexedBytes(): number {
    return this.starts[this.complete]!;
  }

  /**
   * Brings the index up to the file's current size. Concurrent callers share one scan. A file
   * that shrank or was replaced (new inode) is indexed afresh.
   */
  refresh(): Promise<void> {
    this.refreshing ??= this.scanAppended().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private reset(): void {
    this.starts = new Float64Array(1 << 12);
    this.complete = 0;
    this.size = 0;
    this.generation++;
  }

  private async scanAppended(): Promise<void> {
    let info;
    try {
      info = await stat(this.path);
    } catch (error) {
      if (!missing(error)) throw error;
      if (this.size > 0 || this.complete > 0) this.reset();
      return;
    }
    if (info.ino !== this.inode || info.size < this.size) {
      if (this.inode !== -1) this.reset();
      this.inode = info.ino;
    }
    if (info.size === this.size) return;
    const handle = await open(this.path, 'r');
    try {
      await this.scanRange(handle, this.indexedBytes(), info.size);
    } finally {
      await handle.close();
    }
    this.size = info.size;
  }

  private async scanRange(handle: FileHandle, from: number, to: number): Promise<void> {
    const buffer = Buffer.allocUnsafe(Math.min(SCAN_CHUNK_BYTES, Math.max(1, to - from)));
    for (let position = from; position < to;) {
      const { bytesRead } = await handle.read(
        buffer,
        0,
        Math.min(buffer.length, to - position),
        position,
      );
      if (bytesRead === 0) break;
      for (let at = buffer.indexOf(NEWLINE, 0); at !== -1 && at < bytesRead;) {
        this.push(position + at + 1);
        at = buffer.indexOf(NEWLINE, at + 1);
      }
      position += bytesRead;
    }
  }

  private push(start: number): void {
    if (this.complete + 1 >= this.starts.length) {
      const grown = new Float64Array(this.starts.length * 2);
      grown.set(this.starts);
      this.starts = grown;
    }
    this.complete++;
    this.starts[this.complete] = start;
  }

  /** The first line whose start is after `offset` (binary search). */
  lineAfterOffset(offset: number): number {
    let lo = 0;
    let hi = this.complete;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.starts[mid]! <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Opens the file for reading lines back. */
  openFile(): Promise<FileHandle> {
    return open(this.path, 'r');
  }

  /**
   * The given lines (ascending line numbers) as text, each without its newline and capped.
   * Synchronous on purpose: these are small reads from the page cache, and an async read
   * would queue behind a background search's chunks, each of which holds the event loop.
   * Nearby lines are read together, so a page of scattered matches costs a few reads.
   */
  readSelected(lines: readonly number[]): string[] {
    const wanted = lines.filter((line) => line < this.lineCount());
    if (wanted.length === 0) return [];
    const fd = openSync(this.path, 'r');
    try {
      const out: string[] = [];
      for (let i = 0; i < wanted.length;) {
        const spanStart = this.lineStart(wanted[i]!);
        let j = i + 1;
        while (j < wanted.length && this.lineEnd(wanted[j]!) - spanStart <= SPAN_BYTES) j++;
        const spanEnd = Math.min(this.lineEnd(wanted[j - 1]!), spanStart + SPAN_BYTES);
        const buffer = Buffer.allocUnsafe(Math.max(0, spanEnd - spanStart));
        const read = readSync(fd, buffer, 0, buffer.length, spanStart);
        for (let k = i; k < j; k++) {
          const a = Math.min(this.lineStart(wanted[k]!) - spanStart, read);
          const b = Math.min(this.lineEnd(wanted[k]!) - spanStart, a + MAX_LINE_BYTES, read);
          out.push(trimCr(buffer.toString('utf8', a, b)));
        }
        i = j;
      }
      return out;
    } finally {
      closeSync(fd);
    }
  }

  /** Lines `[from, to)` as text (see `readSelected`). */
  readRange(from: number, to: number): string[] {
    const end = Math.min(to, this.lineCount());
    return this.readSelected(Array.from({ length: Math.max(0, end - from) }, (_, i) => from + i));
  }
}

function trimCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
