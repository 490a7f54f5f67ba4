/**
 * Transcript benchmark: `npm run bench:transcript` (or `npx tsx bench/transcript.ts`).
 *
 * How long the Sessions view takes to show the first screen of a 100,000-event transcript in
 * Chromium (target: under 300 ms), against a 100-event one in the same run. The sessions are
 * seeded straight into a fresh state dir's SQLite database through the real repository, then
 * served by an in-process headless supervisor in web mode (the built renderer in out/). See
 * transcript/measure.ts for exactly what is timed.
 *
 * BENCH_RUNS timed runs (default 7, at least 3) after one discarded warm-up. The results replace
 * this bench's section of bench/RESULTS.md; BENCH_NO_WRITE=1 prints only.
 */
import { join } from 'node:path';
import Docker from 'dockerode';
import type { Browser } from 'playwright-core';
import { openDatabase } from '../src-main/store/open-database.js';
import { startHeadlessSupervisor, type HeadlessSupervisor } from '../src-main/web/headless.js';
import { launchChromium } from '../test/helpers/browser.js';
import { ensureBuilt } from './lib/build.js';
import { envNumber } from './lib/env.js';
import { formatMs } from './lib/format.js';
import { describeMachine, RunRecord } from './lib/machine.js';
import { repoRoot } from './lib/paths.js';
import { publishReport } from './lib/report.js';
import { runBench } from './lib/run-bench.js';
import { TempDirs } from './lib/temp-dirs.js';
import { afterWarmUp } from './lib/timing.js';
import { timeOpen } from './transcript/measure.js';
import { benchReport } from './transcript/report.js';
import { LONG_SESSION, seedLongSession } from './transcript/seed.js';

const RUNS = envNumber('BENCH_RUNS', 7, 3);
const LONG_COUNT = 100_000;
const SHORT_COUNT = 100;
const SHORT_SESSION = {
  ...LONG_SESSION,
  key: 'dm:telegram:short',
  peerId: 'short',
  title: 'Short',
};

const tempDirs = new TempDirs();
let supervisor: HeadlessSupervisor | null = null;
let browser: Browser | null = null;

async function main(): Promise<void> {
  const gatewayEntry = join(repoRoot, 'out', 'main', 'gateway.js');
  ensureBuilt(gatewayEntry);
  const run = new RunRecord(describeMachine());
  console.log(`transcript bench: ${RUNS} timed runs + 1 warm-up`);
  console.log(run.describe());

  const stateDir = join(tempDirs.make('clawdbot-bench-transcript-'), 'state');
  const db = openDatabase(stateDir);
  const long = seedLongSession(db, LONG_COUNT, LONG_SESSION, Date.now() - 86_400_000);
  const short = seedLongSession(db, SHORT_COUNT, SHORT_SESSION);
  db.close();
  console.log(`seeded ${LONG_COUNT} + ${SHORT_COUNT} events`);

  supervisor = await startHeadlessSupervisor({
    stateDir,
    gatewayEntry,
    // The view never asks Docker; an unreachable engine keeps the bench off the real one.
    docker: new Docker({ socketPath: '/nonexistent/docker.sock', timeout: 1000 }),
    web: { host: '127.0.0.1', port: 0, rendererDir: join(repoRoot, 'out', 'renderer') },
  });
  const url = supervisor.webUrl!;
  const chromium = await launchChromium();
  browser = chromium;

  const runs = await afterWarmUp(RUNS, async (i, label) => {
    const openLong = () => timeOpen(chromium, url, LONG_SESSION.key, long.lastId);
    const openShort = () => timeOpen(chromium, url, SHORT_SESSION.key, short.lastId);
    // Alternate which goes first, so neither always pays for the other's page teardown.
    const [l, s] =
      i % 2 === 0
        ? [await openLong(), await openShort()]
        : await openShort().then(async (s1) => [await openLong(), s1] as const);
    console.log(
      `${label}: ${LONG_COUNT} events ${formatMs(l.firstScreenMs)} ms (${l.domRows} rows) | ` +
        `${SHORT_COUNT} events ${formatMs(s.firstScreenMs)} ms`,
    );
    return { long: l, short: s };
  });
  publishReport(
    benchReport({
      ...runs,
      run: run.finish(),
      longCount: LONG_COUNT,
      shortCount: SHORT_COUNT,
      runs: RUNS,
    }),
  );
}

async function cleanup(): Promise<void> {
  await browser?.close().catch(() => undefined);
  browser = null;
  await supervisor?.close().catch(() => undefined);
  supervisor = null;
  tempDirs.removeAll();
}

await runBench(main, cleanup);
