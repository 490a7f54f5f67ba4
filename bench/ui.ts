/**
 * UI benchmark: `npm run bench:ui` (or `npx tsx bench/ui.ts`).
 *
 * 1. The dashboard's first meaningful paint in Chromium over a state of 1,000 sessions and 100
 *    running sandboxes (target: under 300 ms), against an empty state in the same run. The
 *    sandboxes are real containers on the engine the app would use (DOCKER_HOST), labelled as the
 *    busy state's installation's; without a reachable engine the bench runs without them and
 *    its text says so.
 * 2. Input latency in the Sessions view while 50 transcript events per second stream into the
 *    open session (target: under 50 ms), against the same typing with nothing streaming.
 *
 * Both states are real SQLite databases seeded through the gateway's repository (bench/ui/seed.ts)
 * and served by in-process headless supervisors in web mode (the built renderer in out/). See
 * ui/measure.ts for exactly what is timed. BENCH_RUNS timed runs (default 7, at least 3) after one
 * discarded warm-up; the results replace this bench's section of bench/RESULTS.md;
 * BENCH_NO_WRITE=1 prints only.
 */
import { join } from 'node:path';
import Docker from 'dockerode';
import type { Browser } from 'playwright-core';
import { createSessionsRepo } from '../src-main/store/sessions-repo.js';
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
import { webSecurityHeaders } from '../src-main/web/content-security-policy.js';
import { NO_INLINE_HASHES } from '../src-main/web/inline-hashes.js';
import { serveBarePage, type BarePage } from './ui/bare-page.js';
import { seedBusyState } from './ui/seed.js';
import { startBenchSandboxes, type BenchSandboxes } from './ui/sandboxes.js';
import { timeFirstPaint, timeTyping } from './ui/measure.js';
import { benchReport } from './ui/report.js';

const RUNS = envNumber('BENCH_RUNS', 7, 3);
const SESSIONS = 1000;
const SANDBOXES = 100;
const EVENTS_PER_SECOND = 50;
const STREAMED_SESSION = 'dm:telegram:1001';

const tempDirs = new TempDirs();
const supervisors: HeadlessSupervisor[] = [];
let browser: Browser | null = null;
let streamer: ReturnType<typeof setInterval> | null = null;
let sandboxes: BenchSandboxes | null = null;
const bares: BarePage[] = [];

async function serve(
  stateDir: string,
  gatewayEntry: string,
  docker: Docker | null,
): Promise<string> {
  const supervisor = await startHeadlessSupervisor({
    stateDir,
    gatewayEntry,
    // Without an engine, an unreachable one (the status bar says so) rather than the default.
    docker: docker ?? new Docker({ socketPath: '/nonexistent/docker.sock', timeout: 1000 }),
    web: { host: '127.0.0.1', port: 0, rendererDir: join(repoRoot, 'out', 'renderer') },
  });
  supervisors.push(supervisor);
  return supervisor.webUrl!;
}

async function main(): Promise<void> {
  const gatewayEntry = join(repoRoot, 'out', 'main', 'gateway.js');
  ensureBuilt(gatewayEntry);
  const run = new RunRecord(describeMachine());
  console.log(`ui bench: ${RUNS} timed runs + 1 warm-up`);
  console.log(run.describe());

  const busyDir = join(tempDirs.make('clawdbot-bench-ui-busy-'), 'state');
  const busyDb = openDatabase(busyDir);
  seedBusyState(busyDb, SESSIONS);
  sandboxes = await startBenchSandboxes(busyDir, SANDBOXES);
  console.log(
    sandboxes.missing === null
      ? `${sandboxes.running} sandboxes running on the engine`
      : `running without sandboxes: ${sandboxes.missing}`,
  );
  const emptyDir = join(tempDirs.make('clawdbot-bench-ui-empty-'), 'state');
  openDatabase(emptyDir).close();
  // Both on the same engine: the empty state's installation simply has no sandbox there.
  const busyUrl = await serve(busyDir, gatewayEntry, sandboxes.docker);
  const emptyUrl = await serve(emptyDir, gatewayEntry, sandboxes.docker);
  // The floor under the web server's own headers, and the same page without its
  // Cross-Origin-Opener-Policy: the difference is what that isolation costs a fresh page here.
  // (The bare page has nothing inline: the policy without the build's hashes.)
  const headers = webSecurityHeaders(NO_INLINE_HASHES);
  const bare = await serveBarePage(headers);
  const bareNoCoop = await serveBarePage(
    Object.fromEntries(
      Object.entries(headers).filter(([name]) => name !== 'Cross-Origin-Opener-Policy'),
    ),
  );
  bares.push(bare, bareNoCoop);
  const chromium = await launchChromium();
  browser = chromium;

  // The stream: events appended through the gateway's repository, as a busy session would.
  const repo = createSessionsRepo(busyDb);
  let streamed = 0;
  const stream = (on: boolean): void => {
    if (streamer) clearInterval(streamer);
    streamer = null;
    if (!on) return;
    streamer = setInterval(() => {
      streamed++;
      repo.append({
        sessionKey: STREAMED_SESSION,
        at: Date.now(),
        kind: streamed % 2 === 0 ? 'assistant' : 'inbound',
        actor: streamed % 2 === 0 ? 'assistant' : 'Friend 1',
        text: `streamed line ${streamed}`,
      });
    }, 1000 / EVENTS_PER_SECOND);
  };

  const runs = await afterWarmUp(RUNS, async (i, label) => {
    const app = { app: true };
    const [busyTimes, emptyTimes] =
      i % 2 === 0
        ? [
            await timeFirstPaint(chromium, busyUrl, app),
            await timeFirstPaint(chromium, emptyUrl, app),
          ]
        : await timeFirstPaint(chromium, emptyUrl, app).then(
            async (e) => [await timeFirstPaint(chromium, busyUrl, app), e] as const,
          );
    const busy = busyTimes.paint;
    const empty = emptyTimes.paint;
    const busyApp = busyTimes.app ?? Number.NaN;
    const floor = (await timeFirstPaint(chromium, bare.url, { app: false })).paint;
    const floorNoCoop = (await timeFirstPaint(chromium, bareNoCoop.url, { app: false })).paint;
    const quiet = await timeTyping(chromium, busyUrl, STREAMED_SESSION, () => stream(false));
    const streaming = await timeTyping(chromium, busyUrl, STREAMED_SESSION, () => stream(true));
    stream(false);
    console.log(
      `${label}: first paint ${formatMs(busy)} ms (${SESSIONS} sessions, ${sandboxes?.running ?? 0} sandboxes; app ${formatMs(busyApp)} ms) | ${formatMs(empty)} ms (empty) | ${formatMs(floor)} ms (bare page; ${formatMs(floorNoCoop)} ms without COOP) · ` +
        `input ${formatMs(streaming)} ms streaming | ${formatMs(quiet)} ms quiet`,
    );
    return { busy, busyApp, empty, floor, floorNoCoop, streaming, quiet };
  });
  busyDb.close();
  publishReport(
    benchReport({
      ...runs,
      run: run.finish(),
      sessions: SESSIONS,
      sandboxes: sandboxes.running,
      sandboxesMissing: sandboxes.missing,
      eventsPerSecond: EVENTS_PER_SECOND,
      runs: RUNS,
    }),
  );
}

async function cleanup(): Promise<void> {
  if (streamer) clearInterval(streamer);
  await browser?.close().catch(() => undefined);
  browser = null;
  for (const supervisor of supervisors.splice(0)) await supervisor.close().catch(() => undefined);
  await sandboxes?.remove().catch(() => undefined);
  for (const page of bares.splice(0)) await page.close().catch(() => undefined);
  sandboxes = null;
  tempDirs.removeAll();
}

await runBench(main, cleanup);
