/**
 * B) Headless supervisor start-up against a bare fork: timed from `startHeadlessSupervisor` until
 * the gateway state is `running`, in a fresh process (as `clawdbot supervise` starts) and in
 * diagnostic variants.
 */
import { fork } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { benchEntry } from '../lib/paths.js';
import { freshStateDir, tempDirs } from './context.js';
import { closeSupervisor, startSupervisor, whenState } from './supervisors.js';

/** One start-up, in ms. */
export interface StartSample {
  /** startHeadlessSupervisor called → gateway `running`. */
  coldMs: number;
  /** … of which: startHeadlessSupervisor resolved (database, control socket, fork issued). */
  openMs: number;
  /** supervisor.startGateway() called (supervisor already up) → `running`. */
  warmMs: number;
}

/** The flag that makes bench/kill-switch.ts run as a start-up worker (see startWorker). */
export const WORKER_FLAG = '--start-worker';

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

/**
 * Worker mode: a fresh process that has loaded the supervisor modules but not dockerode (which
 * the supervisor imports lazily when it opens), measures one start and reports it over IPC.
 * This is what `clawdbot supervise` pays; the in-process figure is the same code in a process
 * that already has every module loaded.
 */
export async function startWorker(): Promise<void> {
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
 * supervisor's lazy dockerode import. The worker is the bench's entry script, so it loads the
 * same modules this process loaded at start (and, like it, not dockerode).
 */
export function startInFreshProcess(preloadDockerode = false): Promise<StartSample> {
  const child = fork(benchEntry('kill-switch'), [WORKER_FLAG, freshStateDir()], {
    // tsx's loader flags, so the worker can run TypeScript.
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
export function startInThisProcess(): Promise<StartSample> {
  return measureStart(freshStateDir());
}

let emptyScript: string | null = null;

/**
 * The baseline: fork() of an empty script, with the gateway launcher's options, until its first
 * IPC message. The irreducible cost of spawning Node that any gateway start pays.
 */
export async function bareForkRun(): Promise<number> {
  if (!emptyScript) {
    emptyScript = join(tempDirs.make('clawdbot-bench-fork-'), 'empty.cjs');
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
