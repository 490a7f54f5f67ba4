/** The default cap on each of a command's stdout and stderr, in bytes. */
export const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024;

/** The marker left where the middle of an output was dropped. */
export function truncationMarker(droppedBytes: number): string {
  return `\n[... ${droppedBytes} bytes truncated ...]\n`;
}

/**
 * Collects a stream's bytes keeping only the first and last `maxBytes / 2`: the head usually
 * says what ran, the tail how it ended. Memory stays bounded however much a command prints,
 * so a sandbox printing gigabytes cannot exhaust the host.
 */
export class OutputCollector {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private total = 0;
  private readonly headLimit: number;
  private readonly tailLimit: number;

  constructor(readonly maxBytes: number = DEFAULT_MAX_OUTPUT_BYTES) {
    if (!Number.isInteger(maxBytes) || maxBytes < 2) throw new RangeError('maxBytes must be ≥ 2');
    this.headLimit = Math.ceil(maxBytes / 2);
    this.tailLimit = maxBytes - this.headLimit;
  }

  /** Adds a chunk. */
  write(chunk: Buffer): void {
    this.total += chunk.length;
    let rest = chunk;
    if (this.headBytes < this.headLimit) {
      const take = Math.min(this.headLimit - this.headBytes, rest.length);
      this.head.push(rest.subarray(0, take));
      this.headBytes += take;
      rest = rest.subarray(take);
    }
    if (rest.length === 0) return;
    this.tail.push(rest);
    this.tailBytes += rest.length;
    if (this.tailBytes > this.tailLimit * 2) this.compactTail();
  }

  /** How many bytes were written in all. */
  get totalBytes(): number {
    return this.total;
  }

  /** Whether bytes were dropped. */
  get truncated(): boolean {
    return this.total > this.maxBytes;
  }

  /** The kept bytes as UTF-8, with a marker where the middle was dropped. */
  text(): string {
    this.compactTail();
    const head = Buffer.concat(this.head);
    const tail = Buffer.concat(this.tail);
    if (!this.truncated) return Buffer.concat([head, tail]).toString('utf8');
    const dropped = this.total - head.length - tail.length;
    return (
      trimIncompleteEnd(head).toString('utf8') +
      truncationMarker(dropped) +
      trimIncompleteStart(tail).toString('utf8')
    );
  }

  /** The kept bytes, raw, when nothing was dropped; for file contents, which must be exact. */
  bytes(): Buffer {
    this.compactTail();
    return Buffer.concat([...this.head, ...this.tail]);
  }

  // Keeps the tail buffer at most tailLimit bytes; amortised so writes stay O(chunk).
  private compactTail(): void {
    if (this.tailBytes <= this.tailLimit) return;
    const joined = Buffer.concat(this.tail);
    const kept = joined.subarray(joined.length - this.tailLimit);
    this.tail = [kept];
    this.tailBytes = kept.length;
  }
}

/** Truncates a string to at most `maxBytes` of UTF-8, keeping head and tail with a marker. */
export function truncateMiddle(text: string, maxBytes: number = DEFAULT_MAX_OUTPUT_BYTES): string {
  const collector = new OutputCollector(maxBytes);
  collector.write(Buffer.from(text, 'utf8'));
  return collector.text();
}

// A cut can split a multi-byte UTF-8 character; drop its pieces instead of printing U+FFFD.
function trimIncompleteEnd(buf: Buffer): Buffer {
  let i = buf.length - 1;
  let continuation = 0;
  while (i >= 0 && continuation < 3 && ((buf[i] ?? 0) & 0xc0) === 0x80) {
    i--;
    continuation++;
  }
  if (i < 0) return buf;
  const lead = buf[i] ?? 0;
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > continuation + 1 ? buf.subarray(0, i) : buf;
}

function trimIncompleteStart(buf: Buffer): Buffer {
  let i = 0;
  while (i < buf.length && i < 3 && ((buf[i] ?? 0) & 0xc0) === 0x80) i++;
  return buf.subarray(i);
}
