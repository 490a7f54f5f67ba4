import { formatMs, formatRatio } from '../lib/format.js';
import type { RunInfo } from '../lib/machine.js';
import { figures, type BenchReport, type Target } from '../lib/report.js';
import { median } from '../lib/stats.js';
import type { Columns } from '../lib/timing.js';
import type { ColdSample } from './cold-create.js';
import { RUNS } from './context.js';
import type { WarmSample } from './warm-exec.js';

/** Issue 5's targets. */
const TARGET_VS_CLI = 0.75;
const TARGET_VS_RAW = 1.15;
const TARGET_COLD_VS_CLI = 1.2;

/** The timed runs of every figure, and the run they were measured in. */
export interface Results {
  warm: Columns<WarmSample>;
  cold: Columns<ColdSample>;
  run: RunInfo;
}

/** The tools section of RESULTS.md. */
export function benchReport(r: Results): BenchReport {
  const ms = (rows: [string, number[]][]) => figures(formatMs, rows);
  const tool = median(r.warm.tool);
  const toolVsCli = tool / median(r.warm.cli);
  const vsRaw = tool / median(r.warm.raw);
  const ensure = median(r.cold.ensure);
  const vsCli = ensure / median(r.cold.cliSameWork);
  const vsPlainRun = ensure / median(r.cold.dockerRun);
  const target = (label: string, ratio: number, limit: number): Target => ({
    target: `${label} ≤ ${limit}×`,
    measured: formatRatio(ratio),
    pass: ratio <= limit,
  });
  return {
    name: 'tools',
    run: r.run,
    intro: [
      '(the machine is shared; absolute figures move with its load, ratios much less).',
      `Each figure is the median of ${RUNS} timed runs after one discarded warm-up (min–max range`,
      'beside it); a figure and its baselines are measured in the same run, in an order that rotates',
      'run by run.',
    ],
    blocks: [
      { heading: 'Warm sandbox: the bash tool running `true`' },
      {
        text: [
          "Tool call: `runBashTool` (bench/tools/bash-tool.ts) = the agent's `runTool` with the",
          'session\'s sandbox runner for `bash {command: "true"}` on a running sandbox: argument',
          'validation, `SandboxManager.exec`: exec create, hijacked start, the exec wrapper',
          '(in-container timeout, process cleanup) running `bash -c true`, demux, exit code. Baselines on',
          'the same container: `docker exec <container> true` through the CLI (`execFile`), and a bare',
          'dockerode exec of `true` (create + start + stream end + inspect). Diagnostics: the same bare',
          'exec of what the tool runs now, and of what it ran before this change.',
        ],
      },
      {
        figures: ms([
          ['bash tool (`runTool` in the sandbox) running `true`', r.warm.tool],
          ['baseline: `docker exec <container> true` (CLI)', r.warm.cli],
          ['baseline: raw Docker API exec of `true`', r.warm.raw],
          ['diagnostic: raw API exec of wrapper + `bash -c true` (now)', r.warm.rawWrapped],
          [
            'diagnostic: raw API exec of the previous wrapper + `bash -lc true`',
            r.warm.rawPrevious,
          ],
        ]),
      },
      {
        targets: [
          target('bash tool / `docker exec` CLI', toolVsCli, TARGET_VS_CLI),
          target('bash tool / raw API exec', vsRaw, TARGET_VS_RAW),
        ],
      },
      { text: cliNote(median(r.warm.raw) / median(r.warm.cli)) },
      {
        text: [
          'What the tool path gained (diagnostic rows above): the wrapper loads no Perl module (its',
          '`glob` over /proc loaded File::Glob on every call, ~5 ms), enforces the deadline itself',
          "(`alarm`, one process start fewer than coreutils' `timeout`), and the command runs under",
          '`bash -c` (PATH, HOME and LANG come from the container env), not a login shell; on the host the',
          'exec stream is demultiplexed without copying and the exit-code poll no longer sleeps 10 ms.',
        ],
      },
      { heading: 'Cold sandbox creation' },
      {
        text: [
          '`SandboxManager.ensure` on a session key never seen (workspace directory, inspect → 404, the',
          'workspace helper container: create the sparse ext4 image, format it, attach a loop device;',
          'then create and start the sandbox with the device mounted as its workspace volume; no',
          'setupCommand), beside the same work done by hand with the docker CLI: `docker run --rm` of the',
          'helper (same flags, same script) on a fresh directory, then `docker run -d` of the sandbox',
          'with its hardening flags (read-only root, tmpfs, no network, no capabilities, no new',
          'privileges, pids/memory/CPU limits, init) and the workspace volume on the device the helper',
          'printed. Diagnostics: `docker run -d` with a plain bind-mounted directory (a sandbox without',
          'a size-limited workspace, the baseline before the limit existed), the helper alone on an image',
          'already attached (the check before a stopped sandbox is started again), and a dockerode',
          'create and start of the exact spec `ensure` creates. Every container is removed after its',
          'timing, untimed.',
        ],
      },
      {
        figures: ms([
          ['`ensure` on a fresh session key → running', r.cold.ensure],
          [
            'baseline: the same work with the CLI (helper `run --rm`, then `run -d`)',
            r.cold.cliSameWork,
          ],
          [
            'diagnostic: `docker run -d`, bind-mounted directory, no size limit (CLI)',
            r.cold.dockerRun,
          ],
          ['diagnostic: the workspace helper on an attached image (API)', r.cold.helperVerify],
          ['diagnostic: raw API create + start of the same spec', r.cold.rawCreate],
        ]),
      },
      {
        targets: [target('cold `ensure` / the same work with the CLI', vsCli, TARGET_COLD_VS_CLI)],
      },
      {
        text: [
          `What the size limit costs: cold \`ensure\` is ${formatRatio(vsPlainRun)} a plain \`docker run -d\``,
          'with a bind-mounted directory; the difference is the helper container, which runs before',
          'every start of a sandbox (a warm tool call pays nothing for it).',
        ],
      },
    ],
  };
}

// Whether the CLI target is reachable at all here: if even a bare API exec, with no overhead
// around it, is slower than 0.75× the CLI, the engine's exec itself dominates both.
function cliNote(rawVsCli: number): string[] {
  if (rawVsCli <= TARGET_VS_CLI) return [];
  return [
    `Why the CLI target is out of reach on this machine: a bare API exec of \`true\`, with nothing`,
    `around it, already takes ${formatRatio(rawVsCli)} the CLI's time. Most of an exec is the engine`,
    'starting a process in the container (runc), which the CLI pays too; the CLI adds only its own',
    'start-up and a round trip or two. No client-side change can bring the tool below the bare',
    `exec, so ${TARGET_VS_CLI}× the CLI is unreachable here while ${TARGET_VS_RAW}× the bare exec is the binding target.`,
  ];
}
