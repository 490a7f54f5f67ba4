import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** Where a raw client connects: a TCP port (from a chosen local address) or a Unix socket. */
export type RawTarget = { port: number; localAddress?: string } | { path: string };

/** WebSocket opcodes (RFC 6455 §5.2). */
export const OPCODE = { continuation: 0x0, text: 0x1, binary: 0x2, close: 0x8 } as const;

/** Opens a plain TCP (or Unix) connection to the target, resolving once connected. */
export function rawConnect(target: RawTarget): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket =
      'path' in target
        ? connect({ path: target.path })
        : connect({ host: '127.0.0.1', port: target.port, localAddress: target.localAddress });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** The HTTP request that asks a server to upgrade `path` to a WebSocket. */
export function upgradeRequest(path: string): string {
  return [
    `GET ${path} HTTP/1.1`,
    'Host: 127.0.0.1',
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
}

/**
 * A WebSocket the test drives byte by byte: upgraded by hand, so it can send what no
 * well-behaved client library would (invalid UTF-8, broken fragmentation, half a frame).
 */
export interface RawWebSocket {
  socket: Socket;
  /** Everything the server sent after the 101 response. */
  received(): Buffer;
  /** Resolves when the server has closed the connection (or it was reset). */
  ended: Promise<void>;
  /** The close code of the first close frame the server sent, or null if none came. */
  closeCode(): number | null;
}

/** Upgrades a raw connection to a WebSocket at `path`; rejects if the server refuses. */
export async function rawWebSocket(target: RawTarget, path = '/ipc'): Promise<RawWebSocket> {
  const socket = await rawConnect(target);
  socket.on('error', () => undefined);
  let buffer = Buffer.alloc(0);
  let upgraded = false;
  const ended = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      buffer = Buffer.concat([buffer, chunk]);
      if (upgraded) return;
      const end = buffer.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = buffer.subarray(0, end).toString('latin1');
      buffer = buffer.subarray(end + 4);
      if (!/^HTTP\/1\.1 101 /.test(head)) {
        reject(new Error(`upgrade refused: ${head.split('\r\n')[0] ?? head}`));
        return;
      }
      upgraded = true;
      resolve();
    };
    socket.on('data', onData);
    void ended.then(() => {
      if (!upgraded) reject(new Error('connection closed before the upgrade'));
    });
    socket.write(upgradeRequest(path));
  });
  return {
    socket,
    received: () => buffer,
    ended,
    closeCode() {
      // Server frames are unmasked; a close frame is 0x88, a length byte, then the code.
      let at = 0;
      while (at + 2 <= buffer.length) {
        const opcode = buffer[at]! & 0x0f;
        let length = buffer[at + 1]! & 0x7f;
        let header = 2;
        if (length === 126) {
          length = buffer.readUInt16BE(at + 2);
          header = 4;
        } else if (length === 127) {
          length = Number(buffer.readBigUInt64BE(at + 2));
          header = 10;
        }
        if (opcode === OPCODE.close && length >= 2) return buffer.readUInt16BE(at + header);
        at += header + length;
      }
      return null;
    },
  };
}

/** One masked client frame (clients must mask, RFC 6455 §5.3). */
export function clientFrame(opcode: number, payload: Buffer, fin = true): Buffer {
  const mask = randomBytes(4);
  const length = payload.length;
  const header =
    length < 126
      ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | length])
      : length < 0x10000
        ? Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 126, length >> 8, length & 0xff])
        : Buffer.concat([
            Buffer.from([(fin ? 0x80 : 0) | opcode, 0x80 | 127]),
            (() => {
              const size = Buffer.alloc(8);
              size.writeBigUInt64BE(BigInt(length));
              return size;
            })(),
          ]);
  const masked = Buffer.from(payload);
  for (let i = 0; i < masked.length; i++) masked[i] = masked[i]! ^ mask[i % 4]!;
  return Buffer.concat([header, mask, masked]);
}
