import { formatMs } from '../lib/format.js';
import type { RunInfo } from '../lib/machine.js';
import { figures, type BenchReport, type ReportBlock } from '../lib/report.js';
import { median } from '../lib/stats.js';
import { CONTAINERS, RUNS } from './context.js';
import type { KillSample, OverheadProbes, RawSample } from './kill.js';
import type { StartSample } from './startup.js';
import type { RawStopSample, StopSample } from './stop.js';

const TARGET_RATIO = 1.2;
const TARGET_KILL_MS = 1000;
const TARGET_START_MS = 1500;
/** Stopped (no sandboxed process runs) against the raw parallel force-remove of the same 20. */
const TARGET_STOPPED_RATIO = 0.3;
/** Removed (every container gone) against the same baseline. */
const TARGET_REMOVED_RATIO = 1.2;

/** The timed runs of every figure, and the run they were measured in. */
export interface Results {
  kill: KillSample[];
  raw: RawSample[];
  probes: OverheadProbes;
  /** Start-up in a fresh process (the headline figure). */
  start: StartSample[];
  /** Start-up in a fresh process that imported dockerode before timing. */
  startPreloaded: StartSample[];
  /** Start-up in this process, every module (dockerode included) already loaded. */
  startInProcess: StartSample[];
  fork: number[];
  /** C) busy sandboxes, through the CLI and the window, beside raw removal and raw kill. */
  stopping: {
    cliStart: number[];
    rawRemove: RawStopSample[];
    rawKill: RawStopSample[];
    cli: StopSample[];
    window: StopSample[];
  };
  run: RunInfo;
}

/** The kill-switch section of RESULTS.md. */
export function benchReport(r: Results): BenchReport {
  const ms = (rows: [string, number[]][]) => figures(formatMs, rows);
  const kill = median(r.kill.map((s) => s.totalMs));
  const raw = median(r.raw.map((s) => s.removeMs));
  const rawVerified = median(r.raw.map((s) => s.verifiedMs));
  const cold = median(r.start.map((s) => s.coldMs));
  const coldIn = median(r.startInProcess.map((s) => s.coldMs));
  const warm = median(r.start.map((s) => s.warmMs));
  const fork = median(r.fork);
  const ratio = kill / raw;
  const errors = r.kill.reduce((n, s) => n + s.errors, 0);
  const vsFork = (ms: number): string =>
    `${formatMs(ms)} ms (${(ms / fork).toFixed(2)}× bare fork)`;
  return {
    name: 'kill-switch',
    run: r.run,
    intro: [
      '(the machine is shared; absolute figures move with its load, ratios much less).',
      `Each figure is the median of ${RUNS} timed runs after one discarded warm-up (min–max range`,
      'beside it); each figure and its baseline are measured in the same run, interleaved run by run.',
      'Container creation is never timed.',
    ],
    blocks: [
      { heading: `A) Kill switch: gateway + ${CONTAINERS} labelled containers → everything dead` },
      {
        text: [
          'Timed from calling `supervisor.engageKillSwitch()` on a headless supervisor with a running',
          `gateway child and ${CONTAINERS} running containers labelled \`clawdbot.sandbox=1\`, until the gateway`,
          'pid is gone (`process.kill(pid, 0)` → ESRCH) **and** `listContainers` with that label is empty.',
          `Baseline: \`Promise.all(ids.map(id => docker.getContainer(id).remove({ force: true })))\` of ${CONTAINERS}`,
          'such containers, ids known up front.',
        ],
      },
      {
        figures: ms([
          ['kill switch: engage → everything dead', r.kill.map((s) => s.totalMs)],
          ['baseline: raw parallel Docker force-remove', r.raw.map((s) => s.removeMs)],
          ['baseline + the same empty-list check', r.raw.map((s) => s.verifiedMs)],
        ]),
      },
      {
        targets: [
          {
            target: `kill switch / raw kill ≤ ${TARGET_RATIO}×`,
            measured: `${ratio.toFixed(2)}× (${(kill / rawVerified).toFixed(2)}× vs raw + check)`,
            pass: ratio <= TARGET_RATIO,
          },
          {
            target: `absolute < ${TARGET_KILL_MS} ms`,
            measured: `${formatMs(kill)} ms`,
            pass: kill < TARGET_KILL_MS,
          },
        ],
      },
      { text: ['Where the kill-switch time goes (ms after engaging, medians):'] },
      {
        first: 'phase',
        figures: ms([
          [
            'gateway pid gone (polled every 1 ms during the kill)',
            r.kill.map((s) => s.gatewayGoneMs),
          ],
          ['`engageKillSwitch` resolved', r.kill.map((s) => s.resolvedMs)],
          ['… its own `report.durationMs`', r.kill.map((s) => s.reportMs)],
          ['labelled container list seen empty', r.kill.map((s) => s.containersGoneMs)],
          [
            `measured alone: one \`listContainers\` round trip (${CONTAINERS} labelled)`,
            r.probes.listMs,
          ],
          [
            `measured alone: one /proc process-tree scan (${r.probes.processes} processes)`,
            r.probes.treeMs,
          ],
        ]),
      },
      {
        text: [
          `Every kill report listed ${CONTAINERS} containers (${errors} errors in all runs) and killed`,
          `${r.kill[0]?.killedPids ?? 0} gateway pid(s).`,
        ],
      },
      { heading: 'B) Headless supervisor start → gateway `running`' },
      {
        text: [
          'Timed from calling `startHeadlessSupervisor({ stateDir: <fresh>, web: null })` until the gateway',
          'state becomes `running` (its `ready` message arrived). Headline: in a fresh Node process that has',
          'imported the supervisor modules but nothing else, as `clawdbot supervise` would be. Baseline:',
          "`child_process.fork` of an empty script (`process.send?.('x')`) with the launcher's options, until",
          'its first IPC message arrives: the irreducible cost of spawning Node.',
        ],
      },
      {
        figures: ms([
          ['supervisor start → gateway running (fresh process)', r.start.map((s) => s.coldMs)],
          ['… of which `startHeadlessSupervisor` resolved', r.start.map((s) => s.openMs)],
          [
            'same, fresh process with dockerode imported before timing',
            r.startPreloaded.map((s) => s.coldMs),
          ],
          [
            'same, in this process (every module already loaded)',
            r.startInProcess.map((s) => s.coldMs),
          ],
          ['`startGateway()` in a running supervisor → running', r.start.map((s) => s.warmMs)],
          ['baseline: bare fork → first IPC message', r.fork],
        ]),
      },
      {
        targets: [
          {
            target: `start → running < ${TARGET_START_MS} ms`,
            measured: vsFork(cold),
            pass: cold < TARGET_START_MS,
          },
          {
            target: '(no target) modules preloaded: start → running',
            measured: vsFork(coldIn),
            pass: null,
          },
          { target: '(no target) `startGateway()` → running', measured: vsFork(warm), pass: null },
        ],
      },
      ...stoppingBlocks(r.stopping),
    ],
  };
}

/** Section C: when no sandboxed process runs any more, and when every container is gone. */
function stoppingBlocks(c: Results['stopping']): ReportBlock[] {
  const raw = median(c.rawRemove.map((s) => s.resolvedMs));
  const target = (label: string, samples: readonly number[], limit: number) => {
    const measured = median(samples) / raw;
    return {
      target: `${label} ≤ ${limit}× raw remove`,
      measured: `${measured.toFixed(2)}× (${formatMs(median(samples))} ms)`,
      pass: measured <= limit,
    };
  };
  const notFrozen = [...c.cli, ...c.window].reduce((n, s) => n + s.notFrozen, 0);
  const via: [string, StopSample[]][] = [
    ['`clawdbot kill`', c.cli],
    ['window button', c.window],
  ];
  return [
    {
      heading: `C) ${CONTAINERS} busy sandboxes → no sandboxed process runs, then every container gone`,
    },
    {
      text: [
        `${CONTAINERS} running containers of the sandbox image labelled \`clawdbot.sandbox=1\`, each appending the`,
        'wall-clock time to a file in its workspace (a host directory bound in) every 10 ms, with bash',
        'builtins only. Measured from outside: **stopped** is the last timestamp any of them wrote,',
        "**removed** the engine's `destroy` event of the last container. The kill switch freezes every",
        'sandbox (through its cgroup when run as root on the same machine, as here; else the pause',
        'API) and only then removes them. Through `clawdbot kill` in a second',
        'process with a headless supervisor and its gateway running, timed from spawning it minus',
        "`clawdbot --version` timed in the same round (the CLI's own process start and exit); through",
        'the STOP EVERYTHING button of web mode in Chromium, timed from the click inside the page.',
        `Baselines, same rounds: \`Promise.all\` of ${CONTAINERS} \`remove({ force: true })\`, and of ${CONTAINERS}`,
        '`kill()` (SIGKILL; each call returns once the engine saw the container stop), ids known up front.',
        'Every kill switch run is checked: no sandbox wrote after the moment its report calls stopped.',
      ],
    },
    {
      figures: figures(formatMs, [
        ['`clawdbot kill` (minus CLI start): stopped', c.cli.map((s) => s.stoppedMs)],
        ['… removed', c.cli.map((s) => s.removedMs)],
        ["… the report's own `stoppedMs`", c.cli.map((s) => s.reportStoppedMs)],
        ["… the report's own `removedMs`", c.cli.map((s) => s.reportRemovedMs)],
        ['window button: stopped', c.window.map((s) => s.stoppedMs)],
        ['… removed', c.window.map((s) => s.removedMs)],
        ["… the report's own `stoppedMs`", c.window.map((s) => s.reportStoppedMs)],
        ["… the report's own `removedMs`", c.window.map((s) => s.reportRemovedMs)],
        ['baseline: raw parallel force-remove resolved', c.rawRemove.map((s) => s.resolvedMs)],
        ['… its last sandboxed write', c.rawRemove.map((s) => s.stoppedMs)],
        ['baseline: raw parallel kill resolved', c.rawKill.map((s) => s.resolvedMs)],
        ['… its last sandboxed write', c.rawKill.map((s) => s.stoppedMs)],
        ['`clawdbot --version` (subtracted above)', c.cliStart],
      ]),
    },
    {
      targets: [
        ...via.map(([who, runs]) =>
          target(
            `${who}: stopped`,
            runs.map((s) => s.stoppedMs),
            TARGET_STOPPED_RATIO,
          ),
        ),
        ...via.map(([who, runs]) =>
          target(
            `${who}: removed`,
            runs.map((s) => s.removedMs),
            TARGET_REMOVED_RATIO,
          ),
        ),
      ],
    },
    {
      text: [
        `Containers the reports said could not be frozen (killed instead), in all runs: ${notFrozen}.`,
      ],
    },
  ];
}
