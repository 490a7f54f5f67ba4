/** Docker's stream header: [type, 0, 0, 0, size (uint32 big-endian)]; type 1 stdout, 2 stderr. */
const HEADER_BYTES = 8;
const STDERR = 2;

/**
 * Splits the multiplexed stream of an exec started with `Tty: false` into stdout and stderr.
 * Frames are handed on as views into the chunks the socket delivered, never copied: only a
 * header split across two chunks is assembled (8 bytes). docker-modem's `demuxStream`, by
 * contrast, concatenates every chunk onto a buffer and re-copies the rest after each frame,
 * which grows with the output and goes through two extra Writable streams.
 */
export class ExecStreamDemuxer {
  private readonly header = Buffer.alloc(HEADER_BYTES);
  private headerFill = 0;
  private frameLeft = 0;
  private frameType = 0;

  constructor(
    private readonly onStdout: (chunk: Buffer) => void,
    private readonly onStderr: (chunk: Buffer) => void,
  ) {}

  /** Feeds the next chunk read from the exec's connection. */
  push(chunk: Buffer): void {
    let offset = 0;
    while (offset < chunk.length) {
      if (this.frameLeft === 0) {
        const take = Math.min(HEADER_BYTES - this.headerFill, chunk.length - offset);
        chunk.copy(this.header, this.headerFill, offset, offset + take);
        this.headerFill += take;
        offset += take;
        if (this.headerFill < HEADER_BYTES) return;
        this.headerFill = 0;
        this.frameType = this.header[0] ?? 0;
        // A zero-length frame leaves frameLeft at 0: the next bytes are a header again.
        this.frameLeft = this.header.readUInt32BE(4);
        continue;
      }
      const take = Math.min(this.frameLeft, chunk.length - offset);
      const piece = chunk.subarray(offset, offset + take);
      this.frameLeft -= take;
      offset += take;
      if (this.frameType === STDERR) this.onStderr(piece);
      else this.onStdout(piece);
    }
  }
}
