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
