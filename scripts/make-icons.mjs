// Draws the tray and app icons (flat discs, one colour per state) as PNGs into assets/.
// Run once when the palette changes: `node scripts/make-icons.mjs`. No image library needed.
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
};

function disc(size, [r, g, b], ring = false) {
  const rows = [];
  const c = (size - 1) / 2;
  for (let y = 0; y < size; y++) {
    const row = [0];
    for (let x = 0; x < size; x++) {
      const d = Math.hypot(x - c, y - c);
      const outer = size / 2 - 0.5;
      const alpha = Math.max(0, Math.min(1, outer - d + 0.5));
      const hole = ring && d < size * 0.22 ? 0 : 1;
      row.push(r, g, b, Math.round(255 * alpha * hole));
    }
    rows.push(Buffer.from(row));
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr[8] = 8;
  ihdr[9] = 6;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const states = {
  running: [34, 160, 80],
  stopped: [128, 128, 128],
  engaged: [210, 30, 30],
  crashed: [230, 140, 20],
};
for (const [name, colour] of Object.entries(states)) {
  writeFileSync(
    new URL(`../assets/tray-${name}.png`, import.meta.url),
    disc(32, colour, name === 'engaged'),
  );
}
writeFileSync(new URL('../assets/icon.png', import.meta.url), disc(512, [210, 30, 30]));
