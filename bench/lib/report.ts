import { formatRange } from './format.js';
import type { RunInfo } from './machine.js';
import { tableHead, tableRow, type Align } from './markdown-table.js';
import { publishSection, sectionHeading } from './results-file.js';
import { median } from './stats.js';

/** A figures-table row: a label, the timed runs' values, and how to print one value. */
export interface Figure {
  label: string;
  values: readonly number[];
  format: (value: number) => string;
}

/** A targets-table row: what was promised, what was measured, and whether it held. */
export interface Target {
  target: string;
  measured: string;
  /** Null for a figure reported beside the targets without one of its own. */
  pass: boolean | null;
}

/** Cells written as given (a `|` inside one must be escaped). */
export type Cells = readonly string[];

/**
 * One block of a section: a `###` heading, lines of text, a table of figures (median and min–max
 * range in `unit`, default ms), a table of targets, or a table of its own. Blocks are separated
 * by a blank line; an empty text block leaves one more.
 */
export type ReportBlock =
  | { heading: string }
  | { text: readonly string[] }
  | { figures: readonly (Figure | Cells)[]; unit?: string; first?: string }
  | { targets: readonly Target[] }
  | { columns: readonly [title: string, align: Align][]; rows: readonly Cells[] };

/** A bench's section of bench/RESULTS.md. */
export interface BenchReport {
  /** The section's name: its `##` heading and its markers. */
  name: string;
  run: RunInfo;
  /** The npm script and file, when not `bench:<name>` and `bench/<name>.ts`. */
  script?: { npm: string; file: string };
  /** The lines right under the heading: how the figures were taken. */
  intro: readonly string[];
  blocks: readonly ReportBlock[];
}

/** Figures from `[label, values]` pairs, all printed in one format. */
export function figures(
  format: (value: number) => string,
  rows: readonly [label: string, values: readonly number[]][],
): Figure[] {
  return rows.map(([label, values]) => ({ label, values, format }));
}

/** A target's verdict cell, bold so a failure stands out; `—` where there is no target. */
export function verdict(pass: boolean | null): string {
  if (pass === null) return '—';
  return pass ? '**pass**' : '**FAIL**';
}

function figureRow(row: Figure | Cells): string {
  if (!('label' in row)) return tableRow(...row);
  const { label, values, format } = row;
  return tableRow(label, format(median(values)), formatRange(values, format));
}

function renderBlock(block: ReportBlock): string[] {
  if ('heading' in block) return [`### ${block.heading}`];
  if ('text' in block) return [...block.text];
  if ('figures' in block) {
    const unit = block.unit ?? 'ms';
    const suffix = unit ? ` ${unit}` : '';
    return [
      ...tableHead(
        [block.first ?? 'figure', 'left'],
        [`median${suffix}`, 'right'],
        [`range${suffix}`, 'right'],
      ),
      ...block.figures.map(figureRow),
    ];
  }
  if ('targets' in block) {
    return [
      ...tableHead(['target', 'left'], ['measured', 'right'], ['result', 'center']),
      ...block.targets.map((t) => tableRow(t.target, t.measured, verdict(t.pass))),
    ];
  }
  return [...tableHead(...block.columns), ...block.rows.map((cells) => tableRow(...cells))];
}

/**
 * The section as RESULTS.md holds it (without its markers): the heading lines (script, date,
 * machine, load), the intro right under them, then each block after a blank line.
 */
export function renderReport(report: BenchReport): string {
  return [
    ...sectionHeading(report.name, report.run, report.script),
    ...report.intro,
    ...report.blocks.flatMap((block) => ['', ...renderBlock(block)]),
  ].join('\n');
}

/**
 * Prints the section's tables and writes it into bench/RESULTS.md (unless BENCH_NO_WRITE=1):
 * what every bench script ends with.
 */
export function publishReport(report: BenchReport): void {
  publishSection(report.name, renderReport(report));
}
