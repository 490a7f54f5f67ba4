// C0/C1 controls, zero-width and bidi characters. Names come from strangers: printed raw, an
// escape sequence could rewrite the owner's terminal, or a bidi override disguise a code.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** Text from outside (display names, ids) made safe to print in a terminal. */
export function printable(text: string): string {
  return text.replace(UNSAFE, '?');
}

/** Rows as aligned columns under upper-case headers; every cell is made printable. */
export function formatTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const cells = [headers.map((h) => h.toUpperCase()), ...rows.map((r) => r.map(printable))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((row) =>
      row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '),
    )
    .join('\n');
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** A local date and time to the minute, e.g. `2026-11-25 09:54`. */
export function formatTimestamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}
