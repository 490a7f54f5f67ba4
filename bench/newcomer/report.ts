import type { RunInfo } from '../lib/machine.js';
import { figureRow, figureTableHead, tableHead, tableRow } from '../lib/markdown-table.js';
import { sectionHeading } from '../lib/results-file.js';
import type { TestRun, Timed } from './measure.js';

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

/** The newcomer section of RESULTS.md (without its markers). */
export function renderSection(r: {
  run: RunInfo;
  installs: Timed[];
  installBaselines: Timed[];
  starts: Timed[];
  startBaselines: Timed[];
  tests: TestRun;
}): string {
  const loads = (runs: Timed[]): string => runs.map((t) => t.load.split(' / ')[0]).join(', ');
  return [
    ...sectionHeading('newcomer', r.run),
    '(the machine is shared with other work: the load averages beside each row say how busy it was;',
    'the baselines, measured in the same runs, are the yardstick).',
    '',
    'A clone of the repository (its committed state) in a temporary folder, installed and started as',
    "the README says, with Electron's download failing (`ELECTRON_MIRROR` at a closed port), so",
    '`npm start` takes the web UI path. No warm-up: every install is into an empty `node_modules` from',
    'a warm npm cache (`--prefer-offline`), and every `npm start` builds `out/` afresh, as a',
    "newcomer's first start does. Baselines: `npm install --ignore-scripts` (npm's own work, without",
    "better-sqlite3's native build or the Electron attempt) and `clawdbot supervise --web` on the",
    'built app (the supervisor without the build).',
    '',
    ...figureTableHead('s'),
    figureRow(
      '`npm install` (warm cache), whole',
      r.installs.map((t) => t.ms),
      seconds,
    ),
    figureRow(
      'baseline: `npm install --ignore-scripts`',
      r.installBaselines.map((t) => t.ms),
      seconds,
    ),
    figureRow(
      '`npm start` → web UI answers (build included)',
      r.starts.map((t) => t.ms),
      seconds,
    ),
    figureRow(
      'baseline: `clawdbot supervise --web` → web UI answers',
      r.startBaselines.map((t) => t.ms),
      seconds,
    ),
    '',
    ...tableHead(
      ['run', 'left'],
      ['wall time s', 'right'],
      ['result', 'left'],
      ['load (1 min) at its start', 'right'],
    ),
    tableRow(
      '`npm test`, once (the whole suite takes too long to repeat on a shared machine)',
      seconds(r.tests.ms),
      // vitest's summary ("6 failed | 960 passed (966)") has pipes of its own.
      `exit ${r.tests.code}: ${r.tests.summary.replaceAll('|', '\\|')}`,
      r.tests.load.split(' / ')[0] ?? '',
    ),
    ...(r.tests.failures.length > 0
      ? ['', 'Failed in that run:', '', ...r.tests.failures.map((name) => `- ${name}`)]
      : []),
    '',
    `1-minute load at the start of each run: installs ${loads(r.installs)}; install baselines ${loads(r.installBaselines)}; starts ${loads(r.starts)}; start baselines ${loads(r.startBaselines)}.`,
  ].join('\n');
}
