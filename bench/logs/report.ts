import { formatMs, formatRatio } from '../lib/format.js';
import type { RunInfo } from '../lib/machine.js';
import { figures, type BenchReport } from '../lib/report.js';
import { median } from '../lib/stats.js';

/** The viewer's promise: first results of a search on screen within this. */
export const TARGET_MS = 300;

/** One query kind's timed runs. */
export interface QueryRuns {
  label: string;
  matches: number;
  viewer: number[];
  grep: number[];
  firstPage: number[];
  fullCount: number[];
}

/** The logs section of RESULTS.md. */
export function benchReport(r: {
  run: RunInfo;
  lines: number;
  bytes: number;
  queries: QueryRuns[];
}): BenchReport {
  const rows = r.queries.flatMap((q) =>
    figures(formatMs, [
      [`${q.label}: viewer, submit → first match rendered (Chromium)`, q.viewer],
      [`${q.label}: supervisor alone, first page (100 lines)`, q.firstPage],
      [`${q.label}: supervisor alone, exact count (whole file)`, q.fullCount],
      [`${q.label}: \`grep -c\` on the same file`, q.grep],
    ]),
  );
  return {
    name: 'logs',
    run: r.run,
    intro: [
      '(shared machine: figures move with its load; `grep -c` in the same run is the yardstick).',
    ],
    blocks: [
      {
        text: [
          `File: ${r.lines.toLocaleString('en-US')} generated JSON lines (${(r.bytes / 2 ** 20).toFixed(0)} MiB,`,
          '`test/logs/log-generator.ts`), served by an in-process headless supervisor to the built renderer in',
          "Debian's Chromium. Each run searches a different substring of the term (a fresh search, never a",
          'cached one); the line index is built once when the day is opened (not timed here). Supervisor',
          'alone: `LogReader.query` in the bench process, first page and full scan to an exact count.',
        ],
      },
      { figures: rows },
      {
        targets: r.queries.map((q) => {
          const viewer = median(q.viewer);
          return {
            target: `${q.label} (${q.matches} matches): first results < ${TARGET_MS} ms`,
            measured: `${formatMs(viewer)} ms (${formatRatio(viewer / median(q.grep))} grep -c)`,
            pass: viewer < TARGET_MS,
          };
        }),
      },
    ],
  };
}
