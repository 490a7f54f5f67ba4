/**
 * Kill switch and gateway start-up benchmark: `npm run bench:kill-switch`
 * (or `npx tsx bench/kill-switch.ts`).
 *
 * A) Kill switch (kill-switch/kill.ts). A real headless supervisor with its gateway child
 *    running, plus 20 sleeping containers labelled `clawdbot.sandbox=1`. Timed: from calling
 *    `engageKillSwitch` until the gateway pid is gone (`process.kill(pid, 0)` throws ESRCH) AND
 *    Docker lists no labelled container. Baseline, same run, interleaved: a raw parallel
 *    dockerode `remove({ force: true })` of 20 such containers whose ids are known up front.
 * B) Headless start-up (kill-switch/startup.ts). Timed: from calling `startHeadlessSupervisor`
 *    (fresh state dir) until the gateway state becomes `running`, in a fresh Node process (this
 *    file re-run with --start-worker) as `clawdbot supervise` would be; diagnostic variants: the
 *    same with dockerode preloaded, the same in this process, and `startGateway()` → `running`
 *    in a supervisor that is already up. Baseline, same run, interleaved: `child_process.fork`
 *    of an empty script, with the launcher's fork options, until its first IPC message arrives.
 *
 * C) Busy sandboxes → no sandboxed process runs (kill-switch/stop.ts, busy.ts). 20 labelled
 *    containers of the sandbox image, each appending the time to its workspace file (a host
 *    directory) every 10 ms. Timed from engaging to the last timestamp any of them wrote, and to
 *    the engine's `destroy` of the last one: through `clawdbot kill` in a second process with a
 *    headless supervisor running (minus `clawdbot --version`, the CLI's own process start, timed
 *    in the same round), and through the STOP EVERYTHING button of web mode in Chromium (from the
 *    click, in the page). Baselines in the same round: a raw `Promise.all` of 20 force-removes,
 *    and of 20 SIGKILLs, of such sandboxes. Each kill switch run is checked: no sandbox wrote
 *    after the moment its report calls stopped.
 *
 * Every figure is the median of BENCH_RUNS timed runs (default 7, at least 5) after one discarded
 * warm-up. Container creation is never timed. The results replace this bench's own section of
 * bench/RESULTS.md (between the kill-switch markers); nothing else in the file is touched.
 *
 * Environment: BENCH_RUNS (timed runs per figure, >= 5), BENCH_CONTAINERS (default 20),
 * BENCH_NO_WRITE=1 (print only, leave RESULTS.md alone), BENCH_NO_BUILD=1 (never rebuild out/).
 *
 * Nothing this file loads at start may import dockerode (type imports only): a start-up worker
 * is this file, and its figure includes the supervisor's own lazy dockerode import.
 */
import type { Browser } from 'playwright-core';
import { gatewayEntryPath } from '../src-main/paths.js';
import { ensureBuilt } from './lib/build.js';
import { formatMs } from './lib/format.js';
import { describeMachine, formatLoad, RunRecord } from './lib/machine.js';
import { publishReport } from './lib/report.js';
import { runBench } from './lib/run-bench.js';
import { afterWarmUp, retrySample } from './lib/timing.js';
import { BenchContainers } from './kill-switch/containers.js';
import { CONTAINERS, RUNS, tempDirs } from './kill-switch/context.js';
import { killSwitchRun, overheadProbes, rawKillRun } from './kill-switch/kill.js';
import { benchReport } from './kill-switch/report.js';
import {
  cliStartRun,
  cliStopRun,
  rawRemoveRun,
  rawSigkillRun,
  uiStopRun,
} from './kill-switch/stop.js';
import {
  WORKER_FLAG,
  bareForkRun,
  startInFreshProcess,
  startInThisProcess,
  startWorker,
} from './kill-switch/startup.js';
import { closeAllSupervisors } from './kill-switch/supervisors.js';

let containers: BenchContainers | null = null;
let browser: Browser | null = null;

async function main(): Promise<void> {
  // The gateway child runs the built out/main/gateway.js while the supervisor side of this bench
  // runs from source, so the two must match.
  ensureBuilt(gatewayEntryPath());
  const docker = await BenchContainers.connect();
  containers = docker;
  await docker.removeAll();
  await docker.waitForNoForeignSandboxes();
  const run = new RunRecord(describeMachine(`Docker Engine ${await docker.engineVersion()}`));
  console.log(
    `kill-switch bench: ${RUNS} timed runs + 1 warm-up per figure, ${CONTAINERS} containers`,
  );
  console.log(run.describe());

  const killing = await afterWarmUp(RUNS, async (n, label) => {
    const kill = await retrySample(`kill switch ${label}`, (attempt) =>
      killSwitchRun(docker, `k${n}-${attempt}`),
    );
    const raw = await retrySample(`raw kill ${label}`, (attempt) =>
      rawKillRun(docker, `r${n}-${attempt}`),
    );
    console.log(
      `A ${label}: kill switch ${formatMs(kill.totalMs)} ms (gateway gone ${formatMs(kill.gatewayGoneMs)}, resolved ${formatMs(kill.resolvedMs)}, ` +
        `list empty ${formatMs(kill.containersGoneMs)}; ${kill.containers} containers, ${kill.errors} errors) | raw kill ${formatMs(raw.removeMs)} ms`,
    );
    return { kill, raw };
  });
  const probes = await overheadProbes(docker);

  const { ensureSandboxImage } = await import('../test/helpers/sandbox-image.js');
  await ensureSandboxImage(docker.docker);
  const { launchChromium } = await import('../test/helpers/browser.js');
  browser = await launchChromium();
  const ui = browser;
  const stopping = await afterWarmUp(RUNS, async (n, label) => {
    const cliStart = await cliStartRun();
    const rawRemove = await retrySample(`raw remove ${label}`, (attempt) =>
      rawRemoveRun(docker, `sr${n}-${attempt}`),
    );
    const rawKill = await retrySample(`raw kill ${label}`, (attempt) =>
      rawSigkillRun(docker, `sk${n}-${attempt}`),
    );
    const cli = await retrySample(`clawdbot kill ${label}`, (attempt) =>
      cliStopRun(docker, `sc${n}-${attempt}`, cliStart),
    );
    const window = await retrySample(`window ${label}`, (attempt) =>
      uiStopRun(docker, ui, `sw${n}-${attempt}`),
    );
    console.log(
      `C ${label}: clawdbot kill stopped ${formatMs(cli.stoppedMs)} removed ${formatMs(cli.removedMs)} ms (report ${formatMs(cli.reportStoppedMs)} / ${formatMs(cli.reportRemovedMs)}; CLI start ${formatMs(cliStart)}) | ` +
        `window stopped ${formatMs(window.stoppedMs)} removed ${formatMs(window.removedMs)} ms | raw remove ${formatMs(rawRemove.resolvedMs)} (last write ${formatMs(rawRemove.stoppedMs)}) | raw kill ${formatMs(rawKill.resolvedMs)} (last write ${formatMs(rawKill.stoppedMs)}) | load ${formatLoad()}`,
    );
    return { cliStart, rawRemove, rawKill, cli, window };
  });
  await browser.close();
  browser = null;

  const starting = await afterWarmUp(RUNS, async (_n, label) => {
    const start = await startInFreshProcess();
    const startPreloaded = await startInFreshProcess(true);
    const startInProcess = await startInThisProcess();
    const fork = await bareForkRun();
    console.log(
      `B ${label}: start → running ${formatMs(start.coldMs)} ms (open ${formatMs(start.openMs)}; dockerode preloaded ${formatMs(startPreloaded.coldMs)}; ` +
        `in-process ${formatMs(startInProcess.coldMs)}), startGateway → running ${formatMs(start.warmMs)} ms | bare fork ${formatMs(fork)} ms`,
    );
    return { start, startPreloaded, startInProcess, fork };
  });

  publishReport(benchReport({ ...killing, probes, ...starting, stopping, run: run.finish() }));
}

async function cleanup(): Promise<void> {
  await browser?.close().catch(() => undefined);
  await closeAllSupervisors();
  await containers?.removeAll();
  tempDirs.removeAll();
}

if (process.argv.includes(WORKER_FLAG)) {
  await startWorker().catch((error: unknown) => {
    console.error('start-up worker:', error);
    process.exit(1);
  });
} else {
  await runBench(main, cleanup);
}
