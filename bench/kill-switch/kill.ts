/**
 * A) The kill switch against a raw parallel Docker kill: a running gateway plus CONTAINERS
 * labelled containers, timed from engaging until the gateway pid is gone and Docker lists no
 * labelled container.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { processTree } from '../../src-main/process/process-tree.js';
import { installationId } from '../../src-main/installation-id.js';
import { timeRepeated } from '../lib/timing.js';
import { isOurs, type BenchContainers } from './containers.js';
import { CONTAINERS, RUNS, freshStateDir } from './context.js';
import { closeSupervisor, startSupervisor, whenState } from './supervisors.js';

/** Let the engine settle after creating containers, so creation work does not leak into a timing. */
const SETTLE_MS = 300;
/** The installation the baseline's containers are labelled with: no state directory's. */
const BASELINE_INSTALLATION = randomBytes(16).toString('hex');

/** One kill-switch run, in ms after engaging. */
export interface KillSample {
  /** Engage → gateway gone and no labelled container listed (the measured figure). */
  totalMs: number;
  /** Engage → engageKillSwitch resolved. */
  resolvedMs: number;
  /** The report's own durationMs. */
  reportMs: number;
  /** Engage → pid observed gone (ESRCH). */
  gatewayGoneMs: number;
  /** Engage → empty labelled list observed. */
  containersGoneMs: number;
  killedPids: number;
  containers: number;
  errors: number;
}

/** One baseline run: raw parallel force-removes, in ms. */
export interface RawSample {
  /** Promise.all(remove) resolved: the baseline figure. */
  removeMs: number;
  /** Removal plus the same "labelled list is empty" verification the kill switch is timed with. */
  verifiedMs: number;
}

/** The costs of the kill switch's two fixed overheads, each measured alone. */
export interface OverheadProbes {
  listMs: number[];
  treeMs: number[];
  /** Processes in /proc when the tree scans ran (what one scan walks). */
  processes: number;
}

function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Watches a pid from `t0` on, every millisecond, so the moment it is gone is seen even while the
 * kill switch is still waiting for Docker. `goneMs()` gives ms from t0, or -1 while it is alive.
 */
function watchPid(t0: number, pid: number): { goneMs(): number; stop(): void } {
  let goneMs = -1;
  const timer = setInterval(() => {
    if (goneMs < 0 && pidGone(pid)) {
      goneMs = performance.now() - t0;
      clearInterval(timer);
    }
  }, 1);
  return { goneMs: () => goneMs, stop: () => clearInterval(timer) };
}

/** After the kill, polls until the pid is gone and the labelled list is empty; returns their times. */
async function waitAllDead(
  containers: BenchContainers,
  t0: number,
  pid: number | null,
  seenGoneMs = -1,
): Promise<{ gatewayGoneMs: number; containersGoneMs: number }> {
  let gatewayGoneMs = pid === null ? 0 : seenGoneMs;
  let containersGoneMs = -1;
  const deadline = performance.now() + 30_000;
  while (gatewayGoneMs < 0 || containersGoneMs < 0) {
    if (gatewayGoneMs < 0 && pid !== null && pidGone(pid)) gatewayGoneMs = performance.now() - t0;
    if (containersGoneMs < 0) {
      // Strictly "no labelled container", except ones someone else created after the
      // pre-run check (waitForNoForeignSandboxes) — those were not there to kill.
      const left = (await containers.labelled()).filter(isOurs);
      if (left.length === 0) containersGoneMs = performance.now() - t0;
    }
    // The listing above yielded to the event loop, so a SIGCHLD could be reaped; check again.
    if (gatewayGoneMs < 0 && pid !== null && pidGone(pid)) gatewayGoneMs = performance.now() - t0;
    if (gatewayGoneMs >= 0 && containersGoneMs >= 0) break;
    if (performance.now() > deadline) {
      throw new Error(
        `not everything died within 30 s (gateway gone: ${gatewayGoneMs >= 0}, containers gone: ${containersGoneMs >= 0})`,
      );
    }
    await sleep(1);
  }
  return { gatewayGoneMs, containersGoneMs };
}

/** One kill-switch sample: a fresh supervisor with its gateway and CONTAINERS containers, killed. */
export async function killSwitchRun(containers: BenchContainers, tag: string): Promise<KillSample> {
  await containers.waitForNoForeignSandboxes();
  const stateDir = freshStateDir();
  const headless = await startSupervisor(stateDir);
  const { supervisor } = headless;
  try {
    await whenState(supervisor, 'running');
    const pid = supervisor.manager.childPid();
    if (pid === undefined) throw new Error('the gateway has no pid');
    // This supervisor's installation's: its kill switch removes no other installation's.
    await containers.create(tag, CONTAINERS, installationId(stateDir));
    await sleep(SETTLE_MS);

    const t0 = performance.now();
    const watcher = watchPid(t0, pid);
    const report = await supervisor.engageKillSwitch('benchmark', 'ui');
    const resolvedMs = performance.now() - t0;
    watcher.stop();
    const { gatewayGoneMs, containersGoneMs } = await waitAllDead(
      containers,
      t0,
      pid,
      watcher.goneMs(),
    );
    const totalMs = performance.now() - t0;

    if (!report.gateway.killedPids.includes(pid)) {
      throw new Error(
        `the kill report does not list the gateway pid ${pid}: ${JSON.stringify(report.gateway)}`,
      );
    }
    return {
      totalMs,
      resolvedMs,
      reportMs: report.durationMs,
      gatewayGoneMs,
      containersGoneMs,
      killedPids: report.gateway.killedPids.length,
      containers: report.sandboxes.containers.length,
      errors: report.sandboxes.containers.filter((c) => c.error !== null).length,
    };
  } finally {
    await closeSupervisor(headless);
    await containers.removeAll();
  }
}

/** One baseline sample: `Promise.all` of dockerode force-removes, container ids known up front. */
export async function rawKillRun(containers: BenchContainers, tag: string): Promise<RawSample> {
  try {
    const ids = await containers.create(tag, CONTAINERS, BASELINE_INSTALLATION);
    await sleep(SETTLE_MS);
    const t0 = performance.now();
    await Promise.all(ids.map((id) => containers.docker.getContainer(id).remove({ force: true })));
    const removeMs = performance.now() - t0;
    const { containersGoneMs } = await waitAllDead(containers, t0, null);
    return { removeMs, verifiedMs: Math.max(removeMs, containersGoneMs) };
  } finally {
    await containers.removeAll();
  }
}

/** Context for where kill-switch time goes: its two fixed overheads, each measured alone. */
export async function overheadProbes(containers: BenchContainers): Promise<OverheadProbes> {
  await containers.create('probe', CONTAINERS, BASELINE_INSTALLATION);
  await sleep(SETTLE_MS);
  let listMs: number[];
  let treeMs: number[];
  try {
    listMs = await timeRepeated(RUNS, 1, () => containers.labelled());
    // The same /proc scan killProcessTree does per round (it does ≥ 2).
    treeMs = await timeRepeated(RUNS, 1, () => processTree(process.pid));
  } finally {
    await containers.removeAll();
  }
  const processes = readdirSync('/proc').filter((e) => /^\d+$/.test(e)).length;
  return { listMs, treeMs, processes };
}
