/**
 * Sandbox tools benchmark: `npm run bench:tools` (or `npx tsx bench/tools.ts`).
 *
 * A) Warm exec (tools/warm-exec.ts). The agent's bash tool (tools/bash-tool.ts, over
 *    `SandboxManager.exec`) running `true` in a running sandbox, beside `docker exec <container>
 *    true` through the CLI (the anchor's approach) and a bare Docker API exec (create + start +
 *    stream end + inspect) on the same container, in the same run. Targets (issue 5): at most
 *    0.75× the CLI and 1.15× the raw API exec. Diagnostics: the bare exec of the wrapped command,
 *    now and as it was before the speed work (tools/previous-wrapper.ts).
 * B) Cold creation (tools/cold-create.ts). `SandboxManager.ensure` on a fresh session key (the
 *    workspace helper container, then the sandbox) beside the same work with the docker CLI
 *    (`docker run --rm` of the helper, then `docker run -d` of the sandbox on the device it
 *    printed). Target: at most 1.2× the CLI. Diagnostics: a plain `docker run -d` without a
 *    size-limited workspace, the helper alone on an attached image, dockerode create + start.
 *
 * Every figure is the median of BENCH_RUNS timed runs (default 21, at least 15) after one
 * discarded warm-up; the figures of one part are interleaved run by run, in a rotating order.
 * Needs a running Docker engine and the sandbox image (`clawdbot sandbox image build --offline`).
 * The results replace this bench's section of bench/RESULTS.md (between the tools markers).
 *
 * Environment: BENCH_RUNS (>= 15), BENCH_NO_WRITE=1 (print only, leave RESULTS.md alone).
 */
import Docker from 'dockerode';
import { SandboxManager } from '../src-main/sandbox/sandbox-manager.js';
import { dockerSocketOptions } from '../src-main/docker/docker-client.js';
import { formatMs } from './lib/format.js';
import { describeMachine, RunRecord } from './lib/machine.js';
import { publishReport } from './lib/report.js';
import { runBench } from './lib/run-bench.js';
import { createLogger } from '../src-main/logging/logger.js';
import { afterWarmUp, retrySample } from './lib/timing.js';
import { ColdCreateBench, removeRunContainers } from './tools/cold-create.js';
import { RUN_TAG, RUNS, freshStateDir, tempDirs } from './tools/context.js';
import { benchReport } from './tools/report.js';
import { WarmExecBench } from './tools/warm-exec.js';

const docker = new Docker(dockerSocketOptions());

async function main(): Promise<void> {
  const sandboxes = new SandboxManager({
    stateDir: freshStateDir(),
    docker,
    log: createLogger({ process: 'bench', scope: 'sandbox' }),
  });
  const image = sandboxes.config.docker.image;
  await docker
    .getImage(image)
    .inspect()
    .catch(() => {
      throw new Error(`${image} is missing: run clawdbot sandbox image build --offline first`);
    });
  const engine = (await docker.version()).Version;
  const run = new RunRecord(describeMachine(`Docker Engine ${engine}`));
  console.log(`tools bench: ${RUNS} timed runs + 1 warm-up per figure`);
  console.log(run.describe());

  const warmBench = await WarmExecBench.create(docker, sandboxes, `dm:bench:${RUN_TAG}-warm`);
  const warm = await afterWarmUp(RUNS, async (n, label) => {
    const s = await retrySample(`warm ${label}`, () => warmBench.sample(n));
    console.log(
      `A ${label}: tool ${formatMs(s.tool)} ms | cli ${formatMs(s.cli)} | raw ${formatMs(s.raw)} | ` +
        `raw wrapped ${formatMs(s.rawWrapped)} | raw previous ${formatMs(s.rawPrevious)}`,
    );
    return s;
  });

  const coldBench = new ColdCreateBench(docker, sandboxes);
  const cold = await afterWarmUp(RUNS, async (n, label) => {
    const s = await retrySample(`cold ${label}`, (attempt) => coldBench.sample(n, attempt));
    console.log(
      `B ${label}: ensure ${formatMs(s.ensure)} ms | cli same work ${formatMs(s.cliSameWork)} | ` +
        `plain docker run -d ${formatMs(s.dockerRun)} | helper ${formatMs(s.helperVerify)} | ` +
        `raw create+start ${formatMs(s.rawCreate)}`,
    );
    return s;
  });

  publishReport(benchReport({ warm, cold, run: run.finish() }));
}

async function cleanup(): Promise<void> {
  await removeRunContainers(docker).catch(() => undefined);
  tempDirs.removeAll();
}

await runBench(main, cleanup);
