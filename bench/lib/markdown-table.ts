import { formatRange } from './format.js';
import { median } from './stats.js';

/** How a column's cells line up: text left, figures right, verdicts centred. */
export type Align = 'left' | 'right' | 'center';

const RULE: Record<Align, string> = { left: '---', right: '---:', center: ':---:' };

/** A Markdown table's heading and rule lines, from `[title, align]` pairs. */
export function tableHead(...columns: [title: string, align: Align][]): string[] {
  return [
    tableRow(...columns.map(([title]) => title)),
    tableRow(...columns.map(([, a]) => RULE[a])),
  ];
}

/** One Markdown table row. Cells are written as given: a `|` inside one must be escaped. */
export function tableRow(...cells: string[]): string {
  return `| ${cells.join(' | ')} |`;
}

/**
 * The heading of a figures table: a label column (`first`), then the median and the min–max
 * range in `unit` (none for figures with units of their own).
 */
export function figureTableHead(unit = 'ms', first = 'figure'): string[] {
  const suffix = unit ? ` ${unit}` : '';
  return tableHead([first, 'left'], [`median${suffix}`, 'right'], [`range${suffix}`, 'right']);
}

/** A figures-table row: `label`, the median of `values` and their min–max range. */
export function figureRow(
  label: string,
  values: readonly number[],
  format: (value: number) => string,
): string {
  return tableRow(label, format(median(values)), formatRange(values, format));
}

/** Figures-table rows from `[label, values]` pairs, all in one format. */
export function figureRows(
  rows: [label: string, values: readonly number[]][],
  format: (value: number) => string,
): string[] {
  return rows.map(([label, values]) => figureRow(label, values, format));
}

/** The heading of a targets table: what was promised, what was measured, and the verdict. */
export function targetTableHead(): string[] {
  return tableHead(['target', 'left'], ['measured', 'right'], ['result', 'center']);
}

/** A target's verdict cell, bold so a failure stands out in the rendered table. */
export function verdict(ok: boolean): string {
  return ok ? '**pass**' : '**FAIL**';
}
