/**
 * Kill switch and gateway start-up benchmark: `npm run bench:kill-switch`
 * (or `npx tsx bench/kill-switch.ts`).
 *
 * A) Kill switch. A real headless supervisor with its gateway child running, plus 20 sleeping
 *    containers labelled `clawdbot.sandbox=1`. Timed: from calling `engageKillSwitch` until the
 *    gateway pid is gone (`process.kill(pid, 0)` throws ESRCH) AND Docker lists no labelled
 *    container. Baseline, same run, interleaved: a raw parallel dockerode
 *    `remove({ force: true })` of 20 such containers whose ids are known up front.
 * B) Headless start-up. Timed: from calling `startHeadlessSupervisor` (fresh state dir) until
 *    the gateway state becomes `running`, in a fresh Node process (this file re-run with
 *    --start-worker) as `clawdbot supervise` would be; diagnostic variants: the same with
 *    dockerode preloaded, the same in this process, and `startGateway()` → `running` in a
 *    supervisor that is already up. Baseline, same run, interleaved: `child_process.fork` of an
 *    empty script, with the launcher's fork options, until its first IPC message arrives.
 *
 * Every figure is the median of BENCH_RUNS timed runs (default 7, at least 5) after one discarded
 * warm-up. Container creation is never timed. The results replace this bench's own section of
 * bench/RESULTS.md (between the kill-switch markers); nothing else in the file is touched.
 *
 * Environment: BENCH_RUNS (timed runs per figure, >= 5), BENCH_CONTAINERS (default 20),
 * BENCH_NO_WRITE=1 (print only, leave RESULTS.md alone), BENCH_NO_BUILD=1 (never rebuild out/).
 */
import { execFileSync, fork } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import type Docker from 'dockerode';
import type * as TestDockerHelpers from '../test/helpers/docker.js';
import type { GatewayState } from '../src-shared/domain/gateway.js';
import { gatewayEntryPath } from '../src-main/paths.js';
import { processTree } from '../src-main/process/process-tree.js';
import {
  startHeadlessSupervisor,
  type HeadlessSupervisor,
} from '../src-main/supervisor/headless.js';
import { SANDBOX_LABEL_FILTER } from '../src-main/supervisor/sandbox-labels.js';
import type { Supervisor } from '../src-main/supervisor/supervisor.js';

const benchDir = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(benchDir, '..');
const resultsFile = join(benchDir, 'RESULTS.md');
const START_MARKER = '<!-- kill-switch:start -->';
const END_MARKER = '<!-- kill-switch:end -->';

const RUNS = Math.max(5, Number(process.env['BENCH_RUNS'] ?? 7) || 7);
const CONTAINERS = Math.max(1, Number(process.env['BENCH_CONTAINERS'] ?? 20) || 20);
/** Every container this bench creates is named with this prefix, so cleanup can find strays. */
const NAME_PREFIX = 'clawdbot-bench-ks-';
/** Let the engine settle after creating containers, so creation work does not leak into a timing. */
const SETTLE_MS = 300;
const TARGET_RATIO = 1.2;
const TARGET_KILL_MS = 1000;
const TARGET_START_MS = 1500;

/**
 * The bench's own Docker client (for creating containers, the baseline and verification). The
 * supervisor is not handed it: it connects its own client exactly as the app does. dockerode and
 * the test helpers (which import it) are loaded in main() only, so that a start-up worker
 * process (see startWorker) begins without dockerode loaded, like `clawdbot supervise`.
 */
let docker: Docker;
let startTestContainer: typeof TestDockerHelpers.startTestContainer;
const createdIds = new Set<string>();
const tempDirs: string[] = [];
const openSupervisors = new Set<HeadlessSupervisor>();

// ---------------------------------------------------------------------------------------------
// Small helpers

/** The local engine: `DOCKER_HOST` (unix:// or tcp://) if set, else the default socket. */
function dockerSocketOptions(): Docker.DockerOptions {
  const host = process.env['DOCKER_HOST'];
  if (host?.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  return { socketPath: '/var/run/docker.sock' };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function fmt(ms: number): string {
  return ms >= 100 ? ms.toFixed(0) : ms.toFixed(1);
}

function spread(values: number[]): string {
  return `${fmt(Math.min(...values))}–${fmt(Math.max(...values))}`;
}

function freshStateDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'clawdbot-bench-'));
  tempDirs.push(dir);
  return join(dir, 'state');
}

function pidGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function labelledContainers(): Promise<Docker.ContainerInfo[]> {
  return docker.listContainers({ all: true, filters: { label: [SANDBOX_LABEL_FILTER] } });
}

/** Resolves with performance.now() at the moment the gateway state becomes `state`. */
function whenState(
  supervisor: Supervisor,
  state: GatewayState,
  timeoutMs = 20_000,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const abort = new AbortController();
    const timer = setTimeout(() => {
      abort.abort();
      reject(
        new Error(
          `gateway did not become ${state} within ${timeoutMs} ms (is ${supervisor.manager.status().state}: ${supervisor.manager.status().message ?? ''})`,
        ),
      );
    }, timeoutMs);
    const done = (at: number): void => {
      clearTimeout(timer);
      abort.abort();
      resolve(at);
    };
    supervisor.manager.onChange((status) => {
      if (status.state === state) done(performance.now());
    }, abort.signal);
    if (supervisor.manager.status().state === state) done(performance.now());
  });
}

async function startSupervisor(stateDir: string): Promise<HeadlessSupervisor> {
  const headless = await startHeadlessSupervisor({
    stateDir,
    gatewayEntry: gatewayEntryPath(),
    web: null,
  });
  openSupervisors.add(headless);
  return headless;
}

async function closeSupervisor(headless: HeadlessSupervisor): Promise<void> {
  openSupervisors.delete(headless);
  await headless.close();
}

/** Creates and starts `count` labelled sleeping containers in parallel (never timed). */
async function createContainers(tag: string, count = CONTAINERS): Promise<string[]> {
  const results = await Promise.allSettled(
    Array.from({ length: count }, (_, i) =>
      startTestContainer(docker, `${NAME_PREFIX}${tag}-${i}`),
    ),
  );
  const ids: string[] = [];
  for (const result of results) {
    if (result.status === 'fulfilled') {
      createdIds.add(result.value.id);
      ids.push(result.value.id);
    }
  }
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) throw new Error(`creating containers failed: ${String(failed.reason)}`);
  return ids;
}

/** Force-removes every container this bench created (tracked ids and any stray by name). */
async function cleanupContainers(): Promise<void> {
  if (!(docker as Docker | undefined)) return;
  const strays = await docker
    .listContainers({ all: true, filters: { name: [NAME_PREFIX] } })
    .catch(() => [] as Docker.ContainerInfo[]);
  const ids = new Set<string>(createdIds);
  for (const info of strays) {
    if (info.Names.some((n) => n.replace(/^\//, '').startsWith(NAME_PREFIX))) ids.add(info.Id);
  }
  await Promise.all(
    [...ids].map((id) =>
      docker
        .getContainer(id)
        .remove({ force: true })
        .catch(() => undefined),
    ),
  );
  createdIds.clear();
}

/**
 * Runs one sample, retrying (at most twice) when it fails: on a shared engine someone else's
 * kill switch or test cleanup can remove our containers mid-run, which invalidates the sample.
 */
async function withRetry<T>(what: string, run: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (error) {
      if (attempt >= 3) throw error;
      console.warn(
        `${what} failed (attempt ${attempt}), retrying: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}

async function cleanupAll(): Promise<void> {
  for (const headless of [...openSupervisors]) {
    openSupervisors.delete(headless);
    await headless.close().catch(() => undefined);
  }
  await cleanupContainers();
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

// ---------------------------------------------------------------------------------------------
// Preparation

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * The gateway child runs the built `out/main/gateway.js` while the supervisor side of this bench
 * runs from source, so the two must match (a newer migration in the source would make a stale
 * gateway refuse the database). Builds when the build is missing or older than the sources,
 * with the same staleness rule and stamp as test/global-setup.ts. BENCH_NO_BUILD=1 skips it.
 */
function ensureBuilt(): void {
  const entry = gatewayEntryPath();
  const stamp = join(repoRoot, 'out', '.build-stamp');
  const sources = Math.max(
    ...['src-main', 'src-shared', 'src-renderer'].map((d) => newestMtime(join(repoRoot, d))),
    statSync(join(repoRoot, 'electron.vite.config.ts')).mtimeMs,
  );
  const built = existsSync(stamp)
    ? statSync(stamp).mtimeMs
    : existsSync(entry)
      ? statSync(entry).mtimeMs
      : 0;
  if (existsSync(entry) && built >= sources) return;
  if (existsSync(entry) && process.env['BENCH_NO_BUILD'] === '1') {
    console.warn(`warning: ${entry} is older than the sources (BENCH_NO_BUILD=1: not rebuilding)`);
    return;
  }
  console.log(`${entry} is ${existsSync(entry) ? 'older than the sources' : 'missing'}: building…`);
  execFileSync('npx', ['electron-vite', 'build'], { cwd: repoRoot, stdio: 'inherit' });
  if (!existsSync(gatewayEntryPath()))
    throw new Error(`build did not produce ${gatewayEntryPath()}`);
  writeFileSync(stamp, new Date().toISOString());
}

function isOurs(info: Docker.ContainerInfo): boolean {
  return info.Names.some((n) => n.replace(/^\//, '').startsWith(NAME_PREFIX));
}

/**
 * The kill switch removes EVERY labelled container on the engine, so it must not be engaged while
 * someone else's sandboxes (a concurrent test run, a real supervisor) exist: wait for them to go,
 * then give up with an explanation.
 */
async function ensureNoForeignSandboxes(waitMs = 120_000): Promise<void> {
  const deadline = performance.now() + waitMs;
  let warned = false;
  for (;;) {
    const foreign = (await labelledContainers()).filter((info) => !isOurs(info));
    if (foreign.length === 0) return;
    const names = foreign.map((i) => (i.Names[0] ?? i.Id).replace(/^\//, '')).join(', ');
    if (performance.now() > deadline) {
      throw new Error(
        `${foreign.length} container(s) labelled ${SANDBOX_LABEL_FILTER} that this bench did not create ` +
          `still exist (${names}); the kill switch would remove them. Remove them or stop what uses them.`,
      );
    }
    if (!warned) {
      console.warn(
        `waiting for ${foreign.length} labelled container(s) this bench did not create: ${names}`,
      );
      warned = true;
    }
    await sleep(1000);
  }
}

// ---------------------------------------------------------------------------------------------
// A) Kill switch vs raw parallel Docker kill

interface KillSample {
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

/**
 * Watches a pid from `t0` on, every millisecond, so the moment it is gone is seen even while the
 * kill switch is still waiting for Docker. Returns a function giving ms from t0 (or -1 if alive).
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
      // pre-run check (ensureNoForeignSandboxes) — those were not there to kill.
      const left = (await labelledContainers()).filter(isOurs);
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

async function killSwitchRun(tag: string): Promise<KillSample> {
  await ensureNoForeignSandboxes();
  const headless = await startSupervisor(freshStateDir());
  const { supervisor } = headless;
  try {
    await whenState(supervisor, 'running');
    const pid = supervisor.manager.childPid();
    if (pid === undefined) throw new Error('the gateway has no pid');
    await createContainers(tag);
    await sleep(SETTLE_MS);

    const t0 = performance.now();
    const watcher = watchPid(t0, pid);
    const report = await supervisor.engageKillSwitch('benchmark', 'ui');
    const resolvedMs = performance.now() - t0;
    watcher.stop();
    const { gatewayGoneMs, containersGoneMs } = await waitAllDead(t0, pid, watcher.goneMs());
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
    await cleanupContainers();
  }
}

interface RawSample {
  /** Promise.all(remove) resolved: the baseline figure. */
  removeMs: number;
  /** Removal plus the same "labelled list is empty" verification the kill switch is timed with. */
  verifiedMs: number;
}

async function rawKillRun(tag: string): Promise<RawSample> {
  try {
    const ids = await createContainers(tag);
    await sleep(SETTLE_MS);
    const t0 = performance.now();
    await Promise.all(ids.map((id) => docker.getContainer(id).remove({ force: true })));
    const removeMs = performance.now() - t0;
    const { containersGoneMs } = await waitAllDead(t0, null);
    return { removeMs, verifiedMs: Math.max(removeMs, containersGoneMs) };
  } finally {
    await cleanupContainers();
  }
}

/** Context for where kill-switch time goes: the costs of its two fixed overheads, measured alone. */
async function overheadProbes(): Promise<{
  listMs: number[];
  treeMs: number[];
  processes: number;
}> {
  await createContainers('probe');
  await sleep(SETTLE_MS);
  const listMs: number[] = [];
  const treeMs: number[] = [];
  try {
    for (let i = 0; i < RUNS + 1; i++) {
      const t0 = performance.now();
      await labelledContainers();
      if (i > 0) listMs.push(performance.now() - t0);
    }
    for (let i = 0; i < RUNS + 1; i++) {
      const t0 = performance.now();
      processTree(process.pid); // the same /proc scan killProcessTree does per round (it does ≥ 2)
      if (i > 0) treeMs.push(performance.now() - t0);
    }
  } finally {
    await cleanupContainers();
  }
  const processes = readdirSync('/proc').filter((e) => /^\d+$/.test(e)).length;
  return { listMs, treeMs, processes };
}

// ---------------------------------------------------------------------------------------------
// B) Headless start-up vs bare fork

interface StartSample {
  /** startHeadlessSupervisor called → gateway `running`. */
  coldMs: number;
  /** … of which: startHeadlessSupervisor resolved (database, control socket, fork issued). */
  openMs: number;
  /** supervisor.startGateway() called (supervisor already up) → `running`. */
  warmMs: number;
}

/** One start-up sample in the current process (run by a worker, or in-process). */
async function measureStart(stateDir: string): Promise<StartSample> {
  const t0 = performance.now();
  const headless = await startSupervisor(stateDir);
  const openMs = performance.now() - t0;
  try {
    const coldMs = (await whenState(headless.supervisor, 'running')) - t0;
    await headless.supervisor.stopGateway();
    const t1 = performance.now();
    const running = whenState(headless.supervisor, 'running');
    headless.supervisor.startGateway();
    const warmMs = (await running) - t1;
    return { coldMs, openMs, warmMs };
  } finally {
    await closeSupervisor(headless);
  }
}

const WORKER_FLAG = '--start-worker';

/**
 * Worker mode: a fresh process that has loaded the supervisor modules but not dockerode (which
 * the supervisor imports lazily when it opens), measures one start and reports it over IPC.
 * This is what `clawdbot supervise` pays; the in-process figure below is the same code in a
 * process that already has every module loaded.
 */
async function startWorker(): Promise<void> {
  const stateDir = process.argv[process.argv.indexOf(WORKER_FLAG) + 1];
  if (!stateDir || !process.send) throw new Error('usage: forked with --start-worker <stateDir>');
  if (process.env['BENCH_PRELOAD_DOCKERODE'] === '1') await import('dockerode');
  const sample = await measureStart(stateDir);
  await new Promise<void>((resolve) => process.send!(sample, () => resolve()));
  process.exit(0);
}

/**
 * Start-up in a fresh process (see startWorker). Only the worker's own timing is reported. With
 * `preloadDockerode` the worker imports dockerode before timing, which isolates the cost of the
 * supervisor's lazy dockerode import.
 */
function startInFreshProcess(preloadDockerode = false): Promise<StartSample> {
  const child = fork(fileURLToPath(import.meta.url), [WORKER_FLAG, freshStateDir()], {
    // tsx's loader flags, so the worker can run this TypeScript file.
    execArgv: process.execArgv,
    env: { ...process.env, BENCH_PRELOAD_DOCKERODE: preloadDockerode ? '1' : '0' },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    let sample: StartSample | null = null;
    child.once('message', (message) => {
      sample = message as StartSample;
    });
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      if (sample && code === 0) resolve(sample);
      else reject(new Error(`start-up worker failed (${code ?? signal})`));
    });
  });
}

/** Start-up in this process, where dockerode and everything else is already loaded. */
function startInProcess(): Promise<StartSample> {
  return measureStart(freshStateDir());
}

let emptyScript: string | null = null;

/** fork() of an empty script, with the gateway launcher's options, until its first IPC message. */
async function bareForkRun(): Promise<number> {
  if (!emptyScript) {
    const dir = mkdtempSync(join(tmpdir(), 'clawdbot-bench-fork-'));
    tempDirs.push(dir);
    emptyScript = join(dir, 'empty.cjs');
    writeFileSync(emptyScript, "process.send?.('x');\n");
  }
  const t0 = performance.now();
  const child = fork(emptyScript, [], {
    env: { ...process.env, CLAWDBOT_STATE_DIR: freshStateDir(), CLAWDBOT_SUPERVISED: '1' },
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const at = await new Promise<number>((resolve, reject) => {
      child.once('message', () => resolve(performance.now()));
      child.once('error', reject);
      child.once('exit', (code, signal) =>
        reject(new Error(`empty child exited (${code ?? signal}) before messaging`)),
      );
    });
    return at - t0;
  } finally {
    child.kill('SIGKILL');
    await exited;
  }
}

// ---------------------------------------------------------------------------------------------
// Report

interface Results {
  kill: KillSample[];
  raw: RawSample[];
  probes: { listMs: number[]; treeMs: number[]; processes: number };
  /** Start-up in a fresh process (the headline figure). */
  start: StartSample[];
  /** Start-up in a fresh process that imported dockerode before timing. */
  startPreloaded: StartSample[];
  /** Start-up in this process, every module (dockerode included) already loaded. */
  startInProcess: StartSample[];
  fork: number[];
  machine: string;
  /** 1/5/15-minute load averages at the start and the end of the run. */
  load: [string, string];
  date: string;
}

function verdict(ok: boolean): string {
  return ok ? '**pass**' : '**FAIL**';
}

function renderSection(r: Results): string {
  const m = (xs: number[]): string => fmt(median(xs));
  const row = (name: string, xs: number[]): string => `| ${name} | ${m(xs)} | ${spread(xs)} |`;
  const kill = median(r.kill.map((s) => s.totalMs));
  const raw = median(r.raw.map((s) => s.removeMs));
  const rawVerified = median(r.raw.map((s) => s.verifiedMs));
  const cold = median(r.start.map((s) => s.coldMs));
  const coldIn = median(r.startInProcess.map((s) => s.coldMs));
  const warm = median(r.start.map((s) => s.warmMs));
  const fork = median(r.fork);
  const ratio = kill / raw;
  const errors = r.kill.reduce((n, s) => n + s.errors, 0);
  const lines = [
    START_MARKER,
    '## kill-switch',
    '',
    `Script: \`npm run bench:kill-switch\` (\`bench/kill-switch.ts\`). Last run: ${r.date}.`,
    `Machine: ${r.machine}. Load average (1/5/15 min) ${r.load[0]} at the start, ${r.load[1]} at the end`,
    '(the machine is shared; absolute figures move with its load, ratios much less).',
    `Each figure is the median of ${RUNS} timed runs after one discarded warm-up (min–max range`,
    'beside it); each figure and its baseline are measured in the same run, interleaved run by run.',
    'Container creation is never timed.',
    '',
    `### A) Kill switch: gateway + ${CONTAINERS} labelled containers → everything dead`,
    '',
    'Timed from calling `supervisor.engageKillSwitch()` on a headless supervisor with a running',
    `gateway child and ${CONTAINERS} running containers labelled \`clawdbot.sandbox=1\`, until the gateway`,
    'pid is gone (`process.kill(pid, 0)` → ESRCH) **and** `listContainers` with that label is empty.',
    `Baseline: \`Promise.all(ids.map(id => docker.getContainer(id).remove({ force: true })))\` of ${CONTAINERS}`,
    'such containers, ids known up front.',
    '',
    '| figure | median ms | range ms |',
    '| --- | ---: | ---: |',
    row(
      'kill switch: engage → everything dead',
      r.kill.map((s) => s.totalMs),
    ),
    row(
      'baseline: raw parallel Docker force-remove',
      r.raw.map((s) => s.removeMs),
    ),
    row(
      'baseline + the same empty-list check',
      r.raw.map((s) => s.verifiedMs),
    ),
    '',
    '| target | measured | result |',
    '| --- | ---: | :---: |',
    `| kill switch / raw kill ≤ ${TARGET_RATIO}× | ${ratio.toFixed(2)}× (${(kill / rawVerified).toFixed(2)}× vs raw + check) | ${verdict(ratio <= TARGET_RATIO)} |`,
    `| absolute < ${TARGET_KILL_MS} ms | ${fmt(kill)} ms | ${verdict(kill < TARGET_KILL_MS)} |`,
    '',
    'Where the kill-switch time goes (ms after engaging, medians):',
    '',
    '| phase | median ms | range ms |',
    '| --- | ---: | ---: |',
    row(
      'gateway pid gone (polled every 1 ms during the kill)',
      r.kill.map((s) => s.gatewayGoneMs),
    ),
    row(
      '`engageKillSwitch` resolved',
      r.kill.map((s) => s.resolvedMs),
    ),
    row(
      '… its own `report.durationMs`',
      r.kill.map((s) => s.reportMs),
    ),
    row(
      'labelled container list seen empty',
      r.kill.map((s) => s.containersGoneMs),
    ),
    row(
      `measured alone: one \`listContainers\` round trip (${CONTAINERS} labelled)`,
      r.probes.listMs,
    ),
    row(
      `measured alone: one /proc process-tree scan (${r.probes.processes} processes)`,
      r.probes.treeMs,
    ),
    '',
    `Every kill report listed ${CONTAINERS} containers (${errors} errors in all runs) and killed`,
    `${r.kill[0]?.killedPids ?? 0} gateway pid(s).`,
    '',
    '### B) Headless supervisor start → gateway `running`',
    '',
    'Timed from calling `startHeadlessSupervisor({ stateDir: <fresh>, web: null })` until the gateway',
    'state becomes `running` (its `ready` message arrived). Headline: in a fresh Node process that has',
    'imported the supervisor modules but nothing else, as `clawdbot supervise` would be. Baseline:',
    "`child_process.fork` of an empty script (`process.send?.('x')`) with the launcher's options, until",
    'its first IPC message arrives: the irreducible cost of spawning Node.',
    '',
    '| figure | median ms | range ms |',
    '| --- | ---: | ---: |',
    row(
      'supervisor start → gateway running (fresh process)',
      r.start.map((s) => s.coldMs),
    ),
    row(
      '… of which `startHeadlessSupervisor` resolved',
      r.start.map((s) => s.openMs),
    ),
    row(
      'same, fresh process with dockerode imported before timing',
      r.startPreloaded.map((s) => s.coldMs),
    ),
    row(
      'same, in this process (every module already loaded)',
      r.startInProcess.map((s) => s.coldMs),
    ),
    row(
      '`startGateway()` in a running supervisor → running',
      r.start.map((s) => s.warmMs),
    ),
    row('baseline: bare fork → first IPC message', r.fork),
    '',
    '| target | measured | result |',
    '| --- | ---: | :---: |',
    `| start → running < ${TARGET_START_MS} ms | ${fmt(cold)} ms (${(cold / fork).toFixed(2)}× bare fork) | ${verdict(cold < TARGET_START_MS)} |`,
    `| (no target) modules preloaded: start → running | ${fmt(coldIn)} ms (${(coldIn / fork).toFixed(2)}× bare fork) | — |`,
    `| (no target) \`startGateway()\` → running | ${fmt(warm)} ms (${(warm / fork).toFixed(2)}× bare fork) | — |`,
    END_MARKER,
  ];
  return lines.join('\n');
}

const INTRO = `# Benchmarks

Measured results of the scripts in \`bench/\`. Every figure is a median of several timed runs
(after a discarded warm-up) on the machine named in its section, and sits beside a baseline
measured in the same run, so a ratio stays meaningful on a slow or busy machine. Each bench
rewrites only its own section, between its \`<!-- name:start -->\` / \`<!-- name:end -->\` markers.
`;

function writeResults(section: string): void {
  let text = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : INTRO;
  const start = text.indexOf(START_MARKER);
  const end = text.indexOf(END_MARKER);
  if (start >= 0 && end > start) {
    text = text.slice(0, start) + section + text.slice(end + END_MARKER.length);
  } else {
    text = `${text.trimEnd()}\n\n${section}\n`;
  }
  writeFileSync(resultsFile, text);
}

async function machineNote(): Promise<string> {
  const cpu = cpus();
  const version = await docker.version().catch(() => null);
  return [
    `${cpu.length} cores (${cpu[0]?.model.trim() ?? 'unknown CPU'})`,
    `${Math.round(totalmem() / 2 ** 30)} GiB RAM`,
    `Linux ${release()}`,
    `Node ${process.versions.node}`,
    `Docker Engine ${version?.Version ?? 'unknown'}`,
  ].join(', ');
}

function loadNote(): string {
  return loadavg()
    .map((l) => l.toFixed(1))
    .join(' / ');
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  ensureBuilt();
  const { default: DockerClient } = await import('dockerode');
  docker = new DockerClient({ ...dockerSocketOptions(), timeout: 30_000 });
  const helpers = await import('../test/helpers/docker.js');
  startTestContainer = helpers.startTestContainer;
  await docker.ping();
  await helpers.ensureTestImage(docker);
  await cleanupContainers();
  await ensureNoForeignSandboxes();
  const machine = await machineNote();
  const loadAtStart = loadNote();
  console.log(
    `kill-switch bench: ${RUNS} timed runs + 1 warm-up per figure, ${CONTAINERS} containers`,
  );
  console.log(`machine: ${machine}; load average ${loadAtStart}`);

  const kill: KillSample[] = [];
  const raw: RawSample[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const label = run === 0 ? 'warm-up' : `run ${run}/${RUNS}`;
    const k = await withRetry(`kill switch ${label}`, (attempt) =>
      killSwitchRun(`k${run}-${attempt}`),
    );
    const b = await withRetry(`raw kill ${label}`, (attempt) => rawKillRun(`r${run}-${attempt}`));
    console.log(
      `A ${label}: kill switch ${fmt(k.totalMs)} ms (gateway gone ${fmt(k.gatewayGoneMs)}, resolved ${fmt(k.resolvedMs)}, ` +
        `list empty ${fmt(k.containersGoneMs)}; ${k.containers} containers, ${k.errors} errors) | raw kill ${fmt(b.removeMs)} ms`,
    );
    if (run === 0) continue;
    kill.push(k);
    raw.push(b);
  }
  const probes = await overheadProbes();

  const start: StartSample[] = [];
  const startIn: StartSample[] = [];
  const startPre: StartSample[] = [];
  const forks: number[] = [];
  for (let run = 0; run <= RUNS; run++) {
    const label = run === 0 ? 'warm-up' : `run ${run}/${RUNS}`;
    const s = await startInFreshProcess();
    const p = await startInFreshProcess(true);
    const i = await startInProcess();
    const f = await bareForkRun();
    console.log(
      `B ${label}: start → running ${fmt(s.coldMs)} ms (open ${fmt(s.openMs)}; dockerode preloaded ${fmt(p.coldMs)}; ` +
        `in-process ${fmt(i.coldMs)}), startGateway → running ${fmt(s.warmMs)} ms | bare fork ${fmt(f)} ms`,
    );
    if (run === 0) continue;
    start.push(s);
    startPre.push(p);
    startIn.push(i);
    forks.push(f);
  }

  const section = renderSection({
    kill,
    raw,
    probes,
    start,
    startPreloaded: startPre,
    startInProcess: startIn,
    fork: forks,
    machine,
    load: [loadAtStart, loadNote()],
    date: new Date().toISOString(),
  });
  console.log('');
  console.log(
    section
      .split('\n')
      .filter((l) => l.startsWith('|') || l.startsWith('###'))
      .join('\n'),
  );
  if (process.env['BENCH_NO_WRITE'] === '1') {
    console.log('\nBENCH_NO_WRITE=1: bench/RESULTS.md left alone');
  } else {
    writeResults(section);
    console.log(`\nwrote the kill-switch section of ${resultsFile}`);
  }
}

async function runMain(): Promise<void> {
  let interrupted = false;
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      if (interrupted) return;
      interrupted = true;
      console.error(`\n${sig}: cleaning up containers…`);
      void cleanupAll().finally(() => process.exit(130));
    });
  }
  try {
    await main();
  } catch (error) {
    process.exitCode = 1;
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
  } finally {
    await cleanupAll();
  }
}

if (process.argv.includes(WORKER_FLAG)) {
  await startWorker().catch((error: unknown) => {
    console.error('start-up worker:', error);
    process.exit(1);
  });
} else {
  await runMain();
}
