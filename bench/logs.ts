/**
 * Log viewer benchmark: `npm run bench:logs` (or `npx tsx bench/logs.ts`).
 *
 * Generates a 1,000,000-line log (yesterday's file, so the retention of the log writer keeps it
 * and nothing writes to it), opens it in the viewer (web mode, built renderer, Debian's Chromium)
 * and times, per run, a search from submit to the first matching row rendered: once for a term
 * spread through the file and once for one found only in its last 50 lines. Beside it, in the same
 * run: `grep -c` on the same file, and the supervisor's own query time (first page; exact count).
 * BENCH_RUNS timed runs (default 5) after one warm-up. BENCH_NO_WRITE=1 prints only.
 */
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Browser } from 'playwright-core';
import { logFileForDay } from '../src-main/logging/log-paths.js';
import { LogReader } from '../src-main/logs/log-reader.js';
import { startHeadlessSupervisor, type HeadlessSupervisor } from '../src-main/web/headless.js';
import { launchChromium, openWatchedPage } from '../test/helpers/browser.js';
import { builtGateway, builtRenderer } from '../test/helpers/paths.js';
import { unreachableDocker } from '../test/helpers/supervisor.js';
import { END_TERM, SPREAD_TERM, generateLogFile } from '../test/logs/log-generator.js';
import { ensureBuilt } from './lib/build.js';
import { envNumber } from './lib/env.js';
import { describeMachine, RunRecord } from './lib/machine.js';
import { publishReport } from './lib/report.js';
import { runBench } from './lib/run-bench.js';
import { TempDirs } from './lib/temp-dirs.js';
import { afterWarmUp } from './lib/timing.js';
import { benchReport, type QueryRuns } from './logs/report.js';
import { clearSearch, timeViewerSearch } from './logs/viewer.js';
import { dayStamp } from '../src-shared/format/day-stamp.js';

const RUNS = envNumber('BENCH_RUNS', 5, 3);
const LINES = 1_000_000;
const tempDirs = new TempDirs();
let supervisor: HeadlessSupervisor | null = null;
let browser: Browser | null = null;

/** Distinct substrings of a term, one per run: each search is new to the supervisor's cache. */
function variants(term: string, count: number): string[] {
  const out: string[] = [];
  for (let cut = 0; out.length < count; cut++) {
    out.push(term.slice(cut % 3, term.length - Math.floor(cut / 3)));
  }
  return out;
}

function timeGrep(term: string, file: string): number {
  const started = performance.now();
  execFileSync('grep', ['-c', term, file]);
  return performance.now() - started;
}

async function timeReader(reader: LogReader, day: string, text: string) {
  const started = performance.now();
  await reader.query({ day, text, offset: 0, limit: 100 });
  const firstPage = performance.now() - started;
  let page = await reader.query({ day, text, offset: 0, limit: 100 });
  while (!page.complete) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    page = await reader.query({ day, text, offset: 0, limit: 100 });
  }
  return { firstPage, fullCount: performance.now() - started, matches: page.total };
}

async function main(): Promise<void> {
  ensureBuilt(join(builtRenderer, 'index.html'));
  const run = new RunRecord(describeMachine());
  console.log(
    `logs bench: ${RUNS} timed runs + 1 warm-up on ${LINES.toLocaleString('en-US')} lines`,
  );
  const root = tempDirs.make('clawdbot-bench-logs-');
  const pattern = join(root, 'logs', 'clawdbot-YYYY-MM-DD.log');
  const yesterday = new Date(Date.now() - 86_400_000);
  const day = dayStamp(yesterday);
  const file = logFileForDay(pattern, yesterday);
  const midnight = new Date(yesterday.getFullYear(), yesterday.getMonth(), yesterday.getDate());
  generateLogFile(file, { lines: LINES, startMs: midnight.getTime() + 60_000, stepMs: 80 });

  supervisor = await startHeadlessSupervisor({
    stateDir: join(root, 'state'),
    env: { ...process.env, CLAWDBOT_LOG_FILE: pattern, TELEGRAM_BOT_TOKEN: '' },
    docker: unreachableDocker(),
    gatewayEntry: builtGateway,
    web: { host: '127.0.0.1', port: 0, rendererDir: builtRenderer },
  });
  browser = await launchChromium();
  const errors: string[] = [];
  const page = await openWatchedPage(browser, errors);
  await page.goto(supervisor.webUrl!);
  await page.getByTestId('nav-logs').click();
  await page.getByTestId('log-day').selectOption(day);
  const all = `${LINES.toLocaleString('en-US')} lines`;
  await page.getByTestId('log-count').filter({ hasText: all }).waitFor({ timeout: 60_000 });

  const reader = new LogReader(() => pattern);
  await reader.query({ day, offset: 0, limit: 1 }); // the index, built once as the viewer's was
  const queries: QueryRuns[] = [];
  for (const [label, term] of [
    ['spread through the file', SPREAD_TERM],
    ['only near the end', END_TERM],
  ] as const) {
    const terms = variants(term, RUNS + 1);
    let matches = 0;
    const runs = await afterWarmUp(RUNS, async (i, runLabel) => {
      await clearSearch(page, all);
      const viewer = await timeViewerSearch(page, terms[i]!);
      const grep = timeGrep(terms[i]!, file);
      const alone = await timeReader(reader, day, terms[i]!);
      matches = alone.matches;
      console.log(
        `${label}, ${runLabel} (${terms[i]}): viewer ${viewer.toFixed(1)} ms, grep -c ${grep.toFixed(1)} ms, ` +
          `supervisor first page ${alone.firstPage.toFixed(1)} ms, exact count ${alone.fullCount.toFixed(1)} ms`,
      );
      return { viewer, grep, firstPage: alone.firstPage, fullCount: alone.fullCount };
    });
    queries.push({ label, matches, ...runs });
  }
  if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`);
  publishReport(
    benchReport({ run: run.finish(), lines: LINES, bytes: statSync(file).size, queries }),
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
