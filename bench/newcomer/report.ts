import type { RunInfo } from '../lib/machine.js';
import { figures, type BenchReport } from '../lib/report.js';
import type { TestRun, Timed } from './measure.js';

const seconds = (ms: number): string => (ms / 1000).toFixed(1);

/** The newcomer section of RESULTS.md, for bench/lib/report.ts to render and publish. */
export function newcomerReport(r: {
  run: RunInfo;
  installs: Timed[];
  installBaselines: Timed[];
  starts: Timed[];
  startBaselines: Timed[];
  tests: TestRun;
}): BenchReport {
  const loads = (runs: Timed[]): string => runs.map((t) => t.load.split(' / ')[0]).join(', ');
  const ms = (runs: Timed[]): number[] => runs.map((t) => t.ms);
  return {
    name: 'newcomer',
    run: r.run,
    intro: [
      '(the machine is shared with other work: the load averages beside each row say how busy it was;',
      'the baselines, measured in the same runs, are the yardstick).',
    ],
    blocks: [
      {
        text: [
          'A clone of the repository (its committed state) in a temporary folder, installed and started as',
          "the README says, with Electron's download failing (`ELECTRON_MIRROR` at a closed port), so",
          '`npm start` takes the web UI path. No warm-up: every install is into an empty `node_modules` from',
          'a warm npm cache (`--prefer-offline`), and every `npm start` builds `out/` afresh, as a',
          "newcomer's first start does. Baselines: `npm install --ignore-scripts` (npm's own work, without",
          "better-sqlite3's native build or the Electron attempt) and `clawdbot supervise --web` on the",
          'built app (the supervisor without the build).',
        ],
      },
      {
        unit: 's',
        figures: figures(seconds, [
          ['`npm install` (warm cache), whole', ms(r.installs)],
          ['baseline: `npm install --ignore-scripts`', ms(r.installBaselines)],
          ['`npm start` → web UI answers (build included)', ms(r.starts)],
          ['baseline: `clawdbot supervise --web` → web UI answers', ms(r.startBaselines)],
        ]),
      },
      {
        columns: [
          ['run', 'left'],
          ['wall time s', 'right'],
          ['result', 'left'],
          ['load (1 min) at its start', 'right'],
        ],
        rows: [
          [
            '`npm test`, once (the whole suite takes too long to repeat on a shared machine)',
            seconds(r.tests.ms),
            // vitest's summary ("6 failed | 960 passed (966)") has pipes of its own.
            `exit ${r.tests.code}: ${r.tests.summary.replaceAll('|', '\\|')}`,
            r.tests.load.split(' / ')[0] ?? '',
          ],
        ],
      },
      ...(r.tests.failures.length > 0
        ? [{ text: ['Failed in that run:', '', ...r.tests.failures.map((name) => `- ${name}`)] }]
        : []),
      {
        text: [
          `1-minute load at the start of each run: installs ${loads(r.installs)}; install baselines ${loads(r.installBaselines)}; starts ${loads(r.starts)}; start baselines ${loads(r.startBaselines)}.`,
        ],
      },
    ],
  };
}
