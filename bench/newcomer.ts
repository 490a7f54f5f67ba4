/**
 * A newcomer's first ten minutes, timed: `npm run bench:newcomer` (or `npx tsx bench/newcomer.ts`).
 *
 * Clones this checkout into a temporary folder and times, BENCH_RUNS times each (default 3),
 * `npm install` from a warm npm cache (beside `npm install --ignore-scripts`) and `npm start` until
 * the web UI answers at its printed address (beside `clawdbot supervise --web`), Electron's
 * download failing as it does here; then `npm test` once in the clone (the whole suite, on the
 * Docker engine this process names). BENCH_NO_WRITE=1 prints only.
 */
import { join } from 'node:path';
import { cloneRepository } from '../test/helpers/fresh-clone.js';
import { envNumber } from './lib/env.js';
import { describeMachine, RunRecord } from './lib/machine.js';
import { publishReport } from './lib/report.js';
import { runBench } from './lib/run-bench.js';
import { TempDirs } from './lib/temp-dirs.js';
import { timeInstall, timeTests, timeToUi, type Timed } from './newcomer/measure.js';
import { newcomerReport } from './newcomer/report.js';

const RUNS = envNumber('BENCH_RUNS', 3, 1);
const tempDirs = new TempDirs();

async function main(): Promise<void> {
  const run = new RunRecord(describeMachine());
  console.log(
    `newcomer bench: ${RUNS} runs of install and start, npm test once; ${run.describe()}`,
  );
  const root = tempDirs.make('clawdbot-bench-newcomer-');
  const clone = join(root, 'clawdbot');
  cloneRepository(clone);

  const installs: Timed[] = [];
  const installBaselines: Timed[] = [];
  for (let i = 0; i < RUNS; i++) {
    // The baseline first: the last install of the loop leaves the clone fully installed.
    installBaselines.push(await timeInstall(clone, root, true));
    installs.push(await timeInstall(clone, root, false));
  }
  const starts: Timed[] = [];
  const startBaselines: Timed[] = [];
  for (let i = 0; i < RUNS; i++) {
    starts.push(await timeToUi(clone, root, 'npm', ['start', '--', '--port', '0'], true));
    startBaselines.push(
      await timeToUi(
        clone,
        root,
        'node',
        ['bin/clawdbot.js', 'supervise', '--web', '--port', '0'],
        false,
      ),
    );
  }
  const tests = await timeTests(clone);
  publishReport(
    newcomerReport({
      run: run.finish(),
      installs,
      installBaselines,
      starts,
      startBaselines,
      tests,
    }),
  );
}

await runBench(main, () => tempDirs.removeAll());
