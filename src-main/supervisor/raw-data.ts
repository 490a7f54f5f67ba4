import type { RawData } from 'ws';

/** A WebSocket message's bytes as UTF-8 text, whichever buffer shape `ws` delivered. */
export function rawDataToText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
