/**
 * C) Twenty busy sandboxes → no sandboxed process runs, measured from outside: the last
 * timestamp any of them wrote, and the engine's `destroy` of the last one. Through `clawdbot
 * kill` with a supervisor running (its own process start, measured in the same round, taken
 * off), through the window's button (web mode in Chromium), and beside a raw parallel
 * force-remove and a raw parallel SIGKILL of twenty such sandboxes.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { setTimeout as sleep } from 'node:timers/promises';
import { rendererDirPath } from '../../src-main/paths.js';
import { installationId } from '../../src-main/installation-id.js';
import type { KillReport } from '../../src-shared/domain/kill-switch.js';
import { repoRoot } from '../lib/paths.js';
import { epochNow, lastWrite, startBusySandboxes, watchDestroys, type BusySet } from './busy.js';
import type { BenchContainers } from './containers.js';
import { CONTAINERS, freshStateDir } from './context.js';
import { closeSupervisor, startSupervisor, whenState } from './supervisors.js';

/** Let the engine settle after creating containers, so creation work does not leak into a timing. */
const SETTLE_MS = 300;

const CLI = join(repoRoot, 'bin', 'clawdbot.js');

/** One kill of twenty busy sandboxes through the product, in ms after engaging. */
export interface StopSample {
  /** → the last timestamp any sandbox wrote: when no sandboxed process ran any more. */
  stoppedMs: number;
  /** → the engine's `destroy` of the last container. */
  removedMs: number;
  /** The report's own moments (measured inside the process that engaged). */
  reportStoppedMs: number;
  reportRemovedMs: number;
  /** Containers the report says could not be frozen (killed instead). */
  notFrozen: number;
}

/** One raw baseline over twenty busy sandboxes, in ms after the calls were made. */
export interface RawStopSample {
  /** → the last timestamp any sandbox wrote. */
  stoppedMs: number;
  /** → `Promise.all` of the twenty calls resolved. */
  resolvedMs: number;
}

/** Twenty busy sandboxes, their destroy events watched, the engine settled: ready to time. */
async function prepare(containers: BenchContainers, tag: string, stateDir: string) {
  // The supervisor's installation's: its kill switch removes no other installation's.
  const set = await startBusySandboxes(
    containers.docker,
    tag,
    CONTAINERS,
    installationId(stateDir),
    (id) => containers.adopt(id),
  );
  const destroys = await watchDestroys(containers.docker);
  await sleep(SETTLE_MS);
  return { set, destroys };
}

/** Twenty busy sandboxes, the engine settled: ready to time a raw baseline. */
async function prepareRaw(containers: BenchContainers, tag: string): Promise<BusySet> {
  // No state directory's: the baseline removes them itself.
  const set = await startBusySandboxes(
    containers.docker,
    tag,
    CONTAINERS,
    randomBytes(16).toString('hex'),
    (id) => containers.adopt(id),
  );
  await sleep(SETTLE_MS);
  return set;
}

/**
 * Throws unless the report says stopped and no sandbox wrote after that moment: a figure from a
 * kill switch that let a process run on would be worse than none.
 */
function checkReport(report: KillReport, set: BusySet): void {
  if (report.stoppedMs === null || report.removedMs === null) {
    throw new Error(`the kill report did not confirm both moments: ${JSON.stringify(report)}`);
  }
  const last = lastWrite(set);
  // The report rounds to 0.1 ms and the loops' clock reads microseconds.
  if (last > report.engagedAt + report.stoppedMs + 1) {
    throw new Error(
      `a sandbox wrote ${(last - report.engagedAt - report.stoppedMs).toFixed(1)} ms after the report said stopped`,
    );
  }
}

function sample(report: KillReport, set: BusySet, t0: number, removedAt: number, offset = 0) {
  checkReport(report, set);
  return {
    stoppedMs: lastWrite(set) - t0 - offset,
    removedMs: removedAt - t0 - offset,
    reportStoppedMs: report.stoppedMs!,
    reportRemovedMs: report.removedMs!,
    notFrozen: report.sandboxes.containers.filter((c) => c.freezeError !== null).length,
  } satisfies StopSample;
}

/** Runs the built CLI to its end; resolves with its stdout and the ms it took. */
function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [CLI, ...args], {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.once('error', reject);
    child.once('close', () => resolve({ stdout, ms: performance.now() - t0 }));
  });
}

/** The CLI's own process start and exit: `clawdbot --version`, as the kill's command runs it. */
export async function cliStartRun(): Promise<number> {
  return (await runCli(['--version'], process.env)).ms;
}

/**
 * Twenty busy sandboxes and a headless supervisor with its gateway, killed by `clawdbot kill`
 * in a second process (as the owner would from a terminal), timed from spawning it. The
 * supervisor sees the engagement in the database and sweeps at the same time, as it does.
 */
export async function cliStopRun(
  containers: BenchContainers,
  tag: string,
  cliStartMs: number,
): Promise<StopSample> {
  const stateDir = freshStateDir();
  const headless = await startSupervisor(stateDir);
  try {
    await whenState(headless.supervisor, 'running');
    const { set, destroys } = await prepare(containers, tag, stateDir);
    try {
      const t0 = epochNow();
      const kill = await runCli(['kill', '--json', '--wait', '0', '--reason', 'benchmark'], {
        ...process.env,
        CLAWDBOT_STATE_DIR: stateDir,
      });
      const removedAt = await destroys.until(set.ids);
      const report = JSON.parse(kill.stdout) as KillReport;
      return sample(report, set, t0, removedAt, cliStartMs);
    } finally {
      destroys.stop();
    }
  } finally {
    await closeSupervisor(headless);
    await containers.removeAll();
  }
}

/**
 * Twenty busy sandboxes and a headless supervisor in web mode, killed by the STOP EVERYTHING
 * button in Chromium, timed from the click inside the page (on the same wall clock).
 */
export async function uiStopRun(
  containers: BenchContainers,
  browser: Browser,
  tag: string,
): Promise<StopSample> {
  const stateDir = freshStateDir();
  const headless = await startSupervisor(stateDir, {
    host: '127.0.0.1',
    port: 0,
    rendererDir: rendererDirPath(),
  });
  const page = await browser.newPage();
  try {
    await whenState(headless.supervisor, 'running');
    await page.goto(headless.webUrl ?? '');
    await page.getByTestId('kill-switch').filter({ hasText: 'STOP EVERYTHING' }).waitFor();
    const { set, destroys } = await prepare(containers, tag, stateDir);
    try {
      // Plain JavaScript source: a function compiled by the bench's loader would carry helpers
      // the page does not have.
      const t0 = await page.evaluate<number>(
        `(() => { const t = Date.now(); document.querySelector('[data-testid="kill-switch"]').click(); return t; })()`,
      );
      await page.getByTestId('kill-removed').waitFor({ timeout: 60_000 });
      const removedAt = await destroys.until(set.ids);
      const report = headless.supervisor.snapshot().killSwitch.lastReport;
      if (!report) throw new Error('the supervisor recorded no kill report');
      return sample(report, set, t0, removedAt);
    } finally {
      destroys.stop();
    }
  } finally {
    await page.close();
    await closeSupervisor(headless);
    await containers.removeAll();
  }
}

/** Baseline: `Promise.all` of twenty force-removes (the API's kill and remove in one call). */
export async function rawRemoveRun(containers: BenchContainers, tag: string) {
  return rawRun(containers, tag, (id) =>
    containers.docker.getContainer(id).remove({ force: true }),
  );
}

/** Baseline: `Promise.all` of twenty SIGKILLs (each returns once the engine saw it stop). */
export async function rawSigkillRun(containers: BenchContainers, tag: string) {
  return rawRun(containers, tag, (id) => containers.docker.getContainer(id).kill());
}

async function rawRun(
  containers: BenchContainers,
  tag: string,
  call: (id: string) => Promise<unknown>,
): Promise<RawStopSample> {
  const set = await prepareRaw(containers, tag);
  try {
    const t0 = epochNow();
    await Promise.all(set.ids.map(call));
    const resolvedMs = epochNow() - t0;
    return { stoppedMs: lastWrite(set) - t0, resolvedMs };
  } finally {
    await containers.removeAll();
  }
}
