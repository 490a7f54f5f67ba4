import { formatMs, formatRatio } from '../lib/format.js';
import type { RunInfo } from '../lib/machine.js';
import {
  figureRows,
  figureTableHead,
  tableRow,
  targetTableHead,
  verdict,
} from '../lib/markdown-table.js';
import { sectionHeading } from '../lib/results-file.js';
import { median } from '../lib/stats.js';
import type { Columns } from '../lib/timing.js';
import type { OpenSample } from './measure.js';

/** The target: a 100,000-event transcript's first screen in under this. */
export const TARGET_MS = 300;

/** The timed runs and what they ran on. */
export interface Results extends Columns<{ long: OpenSample; short: OpenSample }> {
  run: RunInfo;
  longCount: number;
  shortCount: number;
  runs: number;
}

/** The transcript section of RESULTS.md (without its markers). */
export function renderSection(r: Results): string {
  const long = r.long.map((s) => s.firstScreenMs);
  const short = r.short.map((s) => s.firstScreenMs);
  const ratios = long.map((ms, i) => ms / short[i]!);
  const longMedian = median(long);
  const rows = Math.max(...r.long.map((s) => s.domRows));
  return [
    ...sectionHeading('transcript', r.run),
    '(the machine is shared; absolute figures move with its load, ratios much less).',
    `Each figure is the median of ${r.runs} timed runs after one discarded warm-up (min–max range`,
    'beside it); both sessions are opened in every run, in alternating order.',
    '',
    '### Sessions view: navigation → first screen of a transcript',
    '',
    'Web mode (in-process headless supervisor, real SQLite) in Debian’s Chromium (headless),',
    'a fresh page per sample, connected on the dashboard. Timed inside the page on its own clock,',
    'from setting `location.hash = "#sessions"` until the row of the session’s latest event is',
    'inside the transcript’s viewport plus two animation frames (that frame painted). This spans',
    'the view mounting, `sessions:list`, a click on the session, `sessions:events` (latest page of',
    '500) and the virtualised render. Baseline, same run: the same for a session of',
    `${r.shortCount} events.`,
    '',
    ...figureTableHead(),
    ...figureRows(
      [
        [`${r.longCount.toLocaleString('en-US')} events: first screen`, long],
        [`${r.shortCount} events: first screen (baseline)`, short],
        [
          `${r.longCount.toLocaleString('en-US')} events: session row listed`,
          r.long.map((s) => s.listMs),
        ],
        [`${r.shortCount} events: session row listed`, r.short.map((s) => s.listMs)],
      ],
      formatMs,
    ),
    '',
    ...targetTableHead(),
    tableRow(
      `${r.longCount.toLocaleString('en-US')}-event first screen < ${TARGET_MS} ms`,
      `${formatMs(longMedian)} ms`,
      verdict(longMedian < TARGET_MS),
    ),
    tableRow(
      `long / short (same run)`,
      `${formatRatio(median(ratios))} (range ${formatRatio(Math.min(...ratios))}–${formatRatio(Math.max(...ratios))})`,
      '—',
    ),
    '',
    `At most ${rows} transcript rows were in the DOM at the first screen of the long session`,
    '(virtualised: a screenful plus overscan, whatever the transcript’s length).',
  ].join('\n');
}
