/**
 * Splits a byte stream into lines for progress output, so a caller gets whole lines however
 * the chunks fall; `flush` hands over a last line without a newline. Carriage returns (used
 * by progress bars to redraw a line) also end a line.
 */
export class LineSplitter {
  private pending = '';

  constructor(private readonly onLine: (line: string) => void) {}

  /** Adds a chunk; calls `onLine` for each completed, non-blank line. */
  push(chunk: Buffer | string): void {
    const parts = (this.pending + chunk.toString()).split(/\r\n|\r|\n/);
    this.pending = parts.pop() ?? '';
    for (const line of parts) if (line.trim() !== '') this.onLine(line);
  }

  /** Emits what is left. */
  flush(): void {
    if (this.pending.trim() !== '') this.onLine(this.pending);
    this.pending = '';
  }
}
