import { formatMs, formatRatio } from '../lib/format.js';
import type { RunInfo } from '../lib/machine.js';
import { figures, type BenchReport } from '../lib/report.js';
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

/** The transcript section of RESULTS.md. */
export function benchReport(r: Results): BenchReport {
  const long = r.long.map((s) => s.firstScreenMs);
  const short = r.short.map((s) => s.firstScreenMs);
  const ratios = long.map((ms, i) => ms / short[i]!);
  const longMedian = median(long);
  const rows = Math.max(...r.long.map((s) => s.domRows));
  const longCount = r.longCount.toLocaleString('en-US');
  return {
    name: 'transcript',
    run: r.run,
    intro: [
      '(the machine is shared; absolute figures move with its load, ratios much less).',
      `Each figure is the median of ${r.runs} timed runs after one discarded warm-up (min–max range`,
      'beside it); both sessions are opened in every run, in alternating order.',
    ],
    blocks: [
      { heading: 'Sessions view: navigation → first screen of a transcript' },
      {
        text: [
          'Web mode (in-process headless supervisor, real SQLite) in Debian’s Chromium (headless),',
          'a fresh page per sample, connected on the dashboard. Timed inside the page on its own clock,',
          'from setting `location.hash = "#sessions"` until the row of the session’s latest event is',
          'inside the transcript’s viewport plus two animation frames (that frame painted). This spans',
          'the view mounting, `sessions:list`, a click on the session, `sessions:events` (latest page of',
          '500) and the virtualised render. Baseline, same run: the same for a session of',
          `${r.shortCount} events.`,
        ],
      },
      {
        figures: figures(formatMs, [
          [`${longCount} events: first screen`, long],
          [`${r.shortCount} events: first screen (baseline)`, short],
          [`${longCount} events: session row listed`, r.long.map((s) => s.listMs)],
          [`${r.shortCount} events: session row listed`, r.short.map((s) => s.listMs)],
        ]),
      },
      {
        targets: [
          {
            target: `${longCount}-event first screen < ${TARGET_MS} ms`,
            measured: `${formatMs(longMedian)} ms`,
            pass: longMedian < TARGET_MS,
          },
          {
            target: `long / short (same run)`,
            measured: `${formatRatio(median(ratios))} (range ${formatRatio(Math.min(...ratios))}–${formatRatio(Math.max(...ratios))})`,
            pass: null,
          },
        ],
      },
      {
        text: [
          `At most ${rows} transcript rows were in the DOM at the first screen of the long session`,
          '(virtualised: a screenful plus overscan, whatever the transcript’s length).',
        ],
      },
    ],
  };
}
