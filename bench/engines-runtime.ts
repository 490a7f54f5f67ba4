/**
 * Sandbox engines benchmark: `npm run bench:engines-runtime` (or `npx tsx bench/engines-runtime.ts`).
 *
 * What a sandboxed tool call costs on each engine a user may run sandboxes on: the Docker engine
 * (`DOCKER_HOST`, runc), a Docker engine of the bench's own with gVisor's `runsc` registered
 * (`agent.sandbox.docker.runtime: runsc`), and a Podman service of the bench's own (its
 * Docker-compatible API), each through the same `SandboxManager`:
 *
 * A) Warm call: `echo hi` through `SandboxManager.exec` (the sandbox exec path every tool call
 *    takes) in a running sandbox. Ratio: each engine's median over runc's.
 * B) Cold start: `SandboxManager.ensure` on a session key never seen (workspace image, helper
 *    container, create, start), then the sandbox removed (untimed).
 *
 * Every figure is the median of BENCH_RUNS timed runs (default 15, at least 7) after one
 * discarded warm-up; the engines are interleaved run by run, so they see the same load.
 * Needs root (the extra engines), runsc and podman + catatonit; an engine that cannot start here is
 * reported as missing, with why. The results replace this bench's section of bench/RESULTS.md.
 *
 * Environment: BENCH_RUNS (>= 7), BENCH_NO_WRITE=1 (print only, leave RESULTS.md alone).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import Docker from 'dockerode';
import { DEFAULT_SANDBOX_IMAGE } from '../src-shared/config/sandbox-schema.js';
import { dockerSocketOptions } from '../src-main/docker/docker-client.js';
import { SandboxManager } from '../src-main/sandbox/sandbox-manager.js';
import { createLogger } from '../src-main/logging/logger.js';
import { describeError } from '../src-shared/errors/describe-error.js';
import { podmanMissing, startPodmanEngine } from '../test/helpers/podman-engine.js';
import { startPrivateDockerEngine } from '../test/helpers/private-docker-engine.js';
import { envNumber } from './lib/env.js';
import { formatMs, formatRange } from './lib/format.js';
import { describeMachine, RunRecord } from './lib/machine.js';
import { figures, publishReport } from './lib/report.js';
import { runBench } from './lib/run-bench.js';
import { median } from './lib/stats.js';
import { TempDirs } from './lib/temp-dirs.js';
import { afterWarmUp } from './lib/timing.js';

const RUNS = envNumber('BENCH_RUNS', 15, 7);
const RUNSC = '/usr/bin/runsc';
const tempDirs = new TempDirs();
const source = new Docker(dockerSocketOptions());
const log = createLogger({ process: 'bench', scope: 'sandbox' });

/** One engine under test: its manager, and how to stop what the bench started for it. */
interface BenchEngine {
  name: string;
  manager: SandboxManager;
  stop(): Promise<void>;
}

const engines: BenchEngine[] = [];
const missing: string[] = [];

function managerOn(docker: Docker, runtime?: string): SandboxManager {
  return new SandboxManager({
    stateDir: join(tempDirs.make('clawdbot-bench-engines-'), 'state'),
    docker,
    log,
    config: runtime !== undefined ? { docker: { runtime } } : {},
  });
}

/** Starts `name` with `start`, or records why it could not be (then it is not measured). */
async function addEngine(
  name: string,
  missingWhy: string | null,
  start: () => Promise<Omit<BenchEngine, 'name'>>,
): Promise<void> {
  if (missingWhy !== null) {
    missing.push(`${name}: ${missingWhy}`);
    return;
  }
  try {
    engines.push({ name, ...(await start()) });
  } catch (error) {
    missing.push(`${name}: could not start (${describeError(error)})`);
  }
}

async function startEngines(): Promise<void> {
  engines.push({ name: 'runc (Docker)', manager: managerOn(source), stop: async () => {} });
  await addEngine(
    'runsc (gVisor, Docker)',
    existsSync(RUNSC) ? null : `${RUNSC} is missing (apt-get install runsc)`,
    async () => {
      const engine = await startPrivateDockerEngine({
        runtimes: { runsc: { path: RUNSC, runtimeArgs: ['--network=none'] } },
      });
      const stop = (): Promise<void> => engine.stop();
      await engine.copyImageFrom(source, DEFAULT_SANDBOX_IMAGE).catch(async (error: unknown) => {
        await stop();
        throw error;
      });
      return { manager: managerOn(engine.docker, 'runsc'), stop };
    },
  );
  await addEngine('Podman (runc)', podmanMissing(), async () => {
    const engine = await startPodmanEngine();
    const stop = (): Promise<void> => engine.stop();
    await engine.copyImageFrom(source, DEFAULT_SANDBOX_IMAGE).catch(async (error: unknown) => {
      await stop();
      throw error;
    });
    return { manager: managerOn(engine.docker), stop };
  });
}

async function time(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  await source
    .getImage(DEFAULT_SANDBOX_IMAGE)
    .inspect()
    .catch(() => {
      throw new Error(
        `${DEFAULT_SANDBOX_IMAGE} is missing: run clawdbot sandbox image build --offline first`,
      );
    });
  const run = new RunRecord(describeMachine(`Docker Engine ${(await source.version()).Version}`));
  console.log(`engines-runtime bench: ${RUNS} timed runs + 1 warm-up per figure`);
  console.log(run.describe());
  await startEngines();
  for (const why of missing) console.log(`not measured: ${why}`);

  // A) Warm: one sandbox per engine, started before the timing.
  for (const e of engines) await e.manager.ensure('dm:bench:warm');
  const warm = await afterWarmUp(RUNS, async (n, label) => {
    const sample: Record<string, number> = {};
    // A rotating order: no engine is always first after the others' work.
    for (let i = 0; i < engines.length; i++) {
      const e = engines[(n + i) % engines.length]!;
      sample[e.name] = await time(async () => {
        const result = await e.manager.exec('dm:bench:warm', 'echo hi');
        if (result.stdout !== 'hi\n') throw new Error(`${e.name}: unexpected ${result.stdout}`);
      });
    }
    console.log(
      `A ${label}: ${engines.map((e) => `${e.name} ${formatMs(sample[e.name]!)}`).join(' | ')} ms`,
    );
    return sample;
  });

  // B) Cold: a fresh session key each run, removed after its timing.
  const cold = await afterWarmUp(RUNS, async (n, label) => {
    const sample: Record<string, number> = {};
    for (let i = 0; i < engines.length; i++) {
      const e = engines[(n + i) % engines.length]!;
      const key = `dm:bench:cold-${n}`;
      sample[e.name] = await time(() => e.manager.ensure(key));
      await e.manager.stop(e.manager.containerNameFor(key));
    }
    console.log(
      `B ${label}: ${engines.map((e) => `${e.name} ${formatMs(sample[e.name]!)}`).join(' | ')} ms`,
    );
    return sample;
  });

  const runc = median(warm[engines[0]!.name]!);
  publishReport({
    name: 'engines-runtime',
    run: run.finish(),
    intro: [
      `A sandboxed tool call (\`echo hi\` through \`SandboxManager.exec\`, warm) and a cold sandbox start (\`SandboxManager.ensure\` on a new session key: workspace image, helper, create, start) on each engine, interleaved run by run; medians of ${RUNS} runs after a warm-up. runc: the Docker engine; runsc: a Docker engine of the bench's own with gVisor registered (\`--network=none\`); Podman: \`podman system service\` of the bench's own (rootful, cgroups v1, runc).`,
      ...(missing.length > 0 ? [`Not measured: ${missing.join('; ')}.`] : []),
    ],
    blocks: [
      { heading: 'A) Warm tool call' },
      {
        columns: [
          ['engine', 'left'],
          ['median ms', 'right'],
          ['range ms', 'right'],
          ['× runc', 'right'],
        ],
        rows: engines.map((e) => {
          const values = warm[e.name]!;
          return [
            e.name,
            formatMs(median(values)),
            formatRange(values, formatMs),
            `${(median(values) / runc).toFixed(2)}×`,
          ];
        }),
      },
      { heading: 'B) Cold sandbox start' },
      {
        figures: figures(
          formatMs,
          engines.map((e) => [e.name, cold[e.name]!]),
        ),
        first: 'engine',
      },
    ],
  });
}

async function cleanup(): Promise<void> {
  for (const e of engines) {
    try {
      await e.manager.stop(e.manager.containerNameFor('dm:bench:warm')).catch(() => undefined);
      await e.stop();
    } catch (error) {
      console.error(`stopping ${e.name}: ${describeError(error)}`);
    }
  }
  tempDirs.removeAll();
}

await runBench(main, cleanup);
