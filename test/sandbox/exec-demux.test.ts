import { describe, expect, it } from 'vitest';
import { ExecStreamDemuxer } from '../../src-main/sandbox/exec-demux.js';

// One frame of Docker's multiplexed exec stream: [type, 0, 0, 0, size uint32 BE] + payload.
function frame(type: 1 | 2, payload: string): Buffer {
  const body = Buffer.from(payload, 'utf8');
  const header = Buffer.alloc(8);
  header[0] = type;
  header.writeUInt32BE(body.length, 4);
  return Buffer.concat([header, body]);
}

function demux(chunks: Buffer[]): { out: string; err: string; pieces: Buffer[] } {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const demuxer = new ExecStreamDemuxer(
    (c) => out.push(c),
    (c) => err.push(c),
  );
  for (const chunk of chunks) demuxer.push(chunk);
  return {
    out: Buffer.concat(out).toString(),
    err: Buffer.concat(err).toString(),
    pieces: [...out, ...err],
  };
}

describe('the exec stream demuxer', () => {
  const stream = Buffer.concat([
    frame(1, 'hello '),
    frame(2, 'oops\n'),
    frame(1, ''),
    frame(1, 'world\n'),
    frame(2, 'é€'),
  ]);

  it('splits whole frames into stdout and stderr, skipping empty ones', () => {
    expect(demux([stream])).toMatchObject({ out: 'hello world\n', err: 'oops\né€' });
  });

  it('gives the same result however the stream is cut, headers and characters included', () => {
    for (let size = 1; size <= stream.length; size++) {
      const chunks: Buffer[] = [];
      for (let at = 0; at < stream.length; at += size) chunks.push(stream.subarray(at, at + size));
      expect(demux(chunks), `chunks of ${size}`).toMatchObject({
        out: 'hello world\n',
        err: 'oops\né€',
      });
    }
  });

  it('hands on views of the chunks it was given, not copies', () => {
    const { pieces } = demux([stream]);
    for (const piece of pieces) expect(piece.buffer).toBe(stream.buffer);
  });
});
