/**
 * The kill switch with a frozen Docker engine that thaws: `npm run bench:durability-kill`
 * (or `npx tsx bench/durability/kill-frozen-engine.ts`).
 *
 * A private `dockerd` (its own socket and data root, so no other test or bench loses a
 * container) holds BENCH_CONTAINERS (default 20) sleeping containers labelled
 * `clawdbot.sandbox=1`; a real headless supervisor runs its gateway child. The engine is frozen
 * with SIGSTOP, the kill switch is engaged (the gateway dies at once; the engine does not answer,
 * so the report says sandboxes may remain), and once that first attempt has given up the engine
 * is thawed. Timed from the thaw: until the engine lists no labelled container (everything
 * stopped), and until the supervisor has recorded "none remain". Baseline, same run, interleaved:
 * the same containers and the same freeze, then a raw parallel dockerode
 * `remove({ force: true })` of ids known up front, started the moment the engine is thawed —
 * what a person who knew exactly when the engine came back could do at best.
 *
 * Every figure is the median of BENCH_RUNS timed runs (default 5, at least 3) after a discarded
 * warm-up. Container creation and the frozen time are never timed. Needs root and `dockerd`.
 * The results replace this bench's own section of bench/RESULTS.md; BENCH_NO_WRITE=1 prints only.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Docker from 'dockerode';
import { gatewayEntryPath } from '../../src-main/paths.js';
import { createNodeGatewayLauncher } from '../../src-main/supervisor/node-gateway-launcher.js';
import { Supervisor } from '../../src-main/supervisor/supervisor.js';
import { silentLogger } from '../../src-main/logging/logger.js';
import { SANDBOX_LABEL_FILTER } from '../../src-main/docker/sandbox-labels.js';
import { installationId } from '../../src-main/installation-id.js';
import {
  startPrivateDockerEngine,
  type PrivateDockerEngine,
} from '../../test/helpers/private-docker-engine.js';
import { ensureBuilt } from '../lib/build.js';
import { envNumber } from '../lib/env.js';
import { formatMs } from '../lib/format.js';
import { describeMachine, RunRecord, type RunInfo } from '../lib/machine.js';
import { figures, publishReport, type BenchReport } from '../lib/report.js';
import { runBench } from '../lib/run-bench.js';
import { median } from '../lib/stats.js';
import { TempDirs } from '../lib/temp-dirs.js';
import { afterWarmUp } from '../lib/timing.js';

const RUNS = envNumber('BENCH_RUNS', 5, 3);
const CONTAINERS = envNumber('BENCH_CONTAINERS', 20, 1);
/** The promise the issue makes: every labelled container gone within 10 s of the engine answering. */
const TARGET_MS = 10_000;
/** How long the engine stays frozen after the kill's first attempt gave up. */
const FROZEN_AFTER_ATTEMPT_MS = 1000;

const tempDirs = new TempDirs();
let engine: PrivateDockerEngine | null = null;
let supervisor: Supervisor | null = null;

/** Resolves when the engine lists no labelled container; polled every 20 ms. */
async function untilNoneListed(docker: Docker): Promise<void> {
  for (;;) {
    const left = await docker.listContainers({
      all: true,
      filters: { label: [SANDBOX_LABEL_FILTER] },
    });
    if (left.length === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Waits until the supervisor's gateway is running (it is restarted after each kill). */
async function untilRunning(s: Supervisor): Promise<void> {
  while (s.manager.status().state !== 'running')
    await new Promise((resolve) => setTimeout(resolve, 20));
}

interface KillSample {
  /** Thaw → the engine lists no labelled container. */
  goneMs: number;
  /** Thaw → the supervisor recorded that none remain. */
  clearMs: number;
  /** Engage → `engageKillSwitch` resolved (its first attempt timing out on the frozen engine). */
  firstAttemptMs: number;
  reportedUnreachable: boolean;
}

async function killSwitchRun(
  e: PrivateDockerEngine,
  s: Supervisor,
  stateDir: string,
  run: number,
): Promise<KillSample> {
  s.rearm();
  s.startGateway();
  await untilRunning(s);
  await e.startSandboxes(CONTAINERS, `clawdbot-bench-frozen-k${run}`, {
    installationId: installationId(stateDir),
  });
  e.freeze();
  const engaged = performance.now();
  const report = await s.engageKillSwitch('bench: frozen engine', 'ui');
  const firstAttemptMs = performance.now() - engaged;
  await new Promise((resolve) => setTimeout(resolve, FROZEN_AFTER_ATTEMPT_MS));
  const thawed = performance.now();
  e.thaw();
  const clear = new Promise<number>((resolve) => {
    const check = (): void => {
      if (s.snapshot().killSwitch.sweep?.state === 'clear') resolve(performance.now() - thawed);
      else setTimeout(check, 5);
    };
    check();
  });
  await untilNoneListed(e.docker);
  const goneMs = performance.now() - thawed;
  return {
    goneMs,
    clearMs: await clear,
    firstAttemptMs,
    reportedUnreachable: !report.sandboxes.dockerReachable,
  };
}

async function rawRemoveRun(e: PrivateDockerEngine, run: number): Promise<number> {
  // No state directory's: nothing but this baseline removes them.
  const ids = await e.startSandboxes(CONTAINERS, `clawdbot-bench-frozen-r${run}`, {
    installationId: randomBytes(16).toString('hex'),
  });
  e.freeze();
  // The same frozen time as the kill switch's: its first attempt, then the pause.
  await new Promise((resolve) => setTimeout(resolve, 5000 + FROZEN_AFTER_ATTEMPT_MS));
  const thawed = performance.now();
  e.thaw();
  await Promise.all(ids.map((id) => e.docker.getContainer(id).remove({ force: true })));
  await untilNoneListed(e.docker);
  return performance.now() - thawed;
}

async function main(): Promise<void> {
  ensureBuilt(gatewayEntryPath());
  engine = await startPrivateDockerEngine();
  const version = (await engine.docker.version()).Version;
  const run = new RunRecord(describeMachine(`Docker Engine ${version}`));
  console.log(`durability-kill bench: ${RUNS} timed runs + 1 warm-up, ${CONTAINERS} containers`);
  console.log(run.describe());
  const stateDir = join(tempDirs.make('clawdbot-bench-frozen-'), 'state');
  mkdirSync(stateDir, { recursive: true });
  supervisor = Supervisor.open({
    stateDir,
    launch: createNodeGatewayLauncher({ entry: gatewayEntryPath() }),
    log: silentLogger,
    // The supervisor's own client, as `connectDocker` makes it, on the private engine.
    docker: new Docker({ socketPath: engine.host.slice('unix://'.length), timeout: 60_000 }),
  });
  const e = engine;
  const s = supervisor;
  const samples = await afterWarmUp(RUNS, async (n, label) => {
    const kill = await killSwitchRun(e, s, stateDir, n);
    const raw = await rawRemoveRun(e, n);
    console.log(
      `${label}: thaw → none listed ${formatMs(kill.goneMs)} ms, → recorded clear ${formatMs(kill.clearMs)} ms (first attempt ${formatMs(kill.firstAttemptMs)} ms, unreachable ${kill.reportedUnreachable}) | raw remove ${formatMs(raw)} ms`,
    );
    return { ...kill, raw };
  });
  publishReport(benchReport(samples, run.finish()));
}

/** The durability-kill section of RESULTS.md. */
function benchReport(
  samples: {
    goneMs: number[];
    clearMs: number[];
    firstAttemptMs: number[];
    reportedUnreachable: boolean[];
    raw: number[];
  },
  run: RunInfo,
): BenchReport {
  const gone = median(samples.goneMs);
  const raw = median(samples.raw);
  return {
    name: 'durability-kill',
    run,
    script: { npm: 'durability-kill', file: 'bench/durability/kill-frozen-engine.ts' },
    intro: [
      '(the machine is shared; absolute figures move with its load, ratios much less).',
      `Each figure is the median of ${samples.raw.length} timed runs after one discarded warm-up (min–max range`,
      'beside it); the kill switch and its baseline are measured in the same run, interleaved run by run.',
      'Container creation and the frozen time are never timed.',
    ],
    blocks: [
      {
        heading: `The kill switch with a frozen engine that thaws: ${CONTAINERS} labelled containers`,
      },
      {
        text: [
          'A private `dockerd` is frozen (SIGSTOP); a headless supervisor with a running gateway engages',
          'the kill switch; its first attempt gives up after 5 s (report: engine unreachable, sandboxes may',
          `remain); ${FROZEN_AFTER_ATTEMPT_MS} ms later the engine is thawed (SIGCONT). Timed from the thaw.`,
          'Baseline: the same containers and freeze, then `Promise.all(ids.map(id => remove({ force: true })))`',
          'started at the thaw, ids known up front.',
        ],
      },
      {
        figures: figures(formatMs, [
          ['kill switch: thaw → engine lists no labelled container', samples.goneMs],
          ['kill switch: thaw → supervisor recorded "none remain"', samples.clearMs],
          ['baseline: thaw → raw parallel force-remove done', samples.raw],
          ['(not timed above) engage → first attempt gave up', samples.firstAttemptMs],
        ]),
      },
      {
        targets: [
          {
            target: 'everything stopped within 10 s of the engine answering',
            measured: `${formatMs(gone)} ms (${(gone / raw).toFixed(2)}× raw)`,
            pass: samples.goneMs.every((ms) => ms < TARGET_MS),
          },
          {
            target: 'the first attempt reported the engine unreachable',
            measured: `${samples.reportedUnreachable.filter(Boolean).length}/${samples.reportedUnreachable.length} runs`,
            pass: samples.reportedUnreachable.every(Boolean),
          },
        ],
      },
    ],
  };
}

async function cleanup(): Promise<void> {
  await supervisor?.close();
  await engine?.stop();
  tempDirs.removeAll();
}

await runBench(main, cleanup);
