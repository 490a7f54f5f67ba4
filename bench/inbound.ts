/**
 * Inbound benchmark: `npm run bench:inbound` (or `npx tsx bench/inbound.ts`).
 *
 * Telegram updates per second from the fake Bot API server (`test/fixtures/fake-telegram-api.ts`,
 * a real HTTP server) through real grammY (its Bot API client with auto-retry, our provider's
 * polling loop) and the gateway's inbound side (`InboundPipeline.receive`: envelope validation, the
 * durable inbox in SQLite, then catch-up → identity → scope → trust) to the session step, for
 * allowed senders: 1,000 ids in `telegram.allowFrom`,
 * DMs round-robin over all of them. The gateway (inbound/gateway.ts) is composed as
 * `startGatewayServices` composes it, except that the session step records arrival times
 * instead of sending the "not configured" reply.
 *
 * The fake server runs in a child process (this file with `--fake-api-child`, inbound/fake-api.ts),
 * as Telegram is another machine: its CPU time is not charged to the gateway's event loop. It
 * serves two bots: one polled by the gateway, one drained by the baseline.
 *
 * Baseline, same run, interleaved run by run: a plain `node:http` client (keep-alive, one request
 * at a time, as the provider polls) draining the same number of updates from the same server in
 * `getUpdates` batches of 100 and parsing them: the fake server's own raw throughput.
 *
 * Latency: single updates, one at a time; each is timed from the moment the server wrote the
 * poll response carrying it (clock: `performance.timeOrigin + now()`, in both processes) to the
 * session step, and for the baseline to the plain client having parsed it. "Added latency" is the
 * median of the first minus the median of the second, so clock skew between the processes and the
 * HTTP hop cancel out. Also shown: the pipeline alone (the provider hands the envelope to the
 * gateway → session step), in one process.
 *
 * BENCH_RUNS timed runs (default 7, at least 5) after one discarded warm-up; BENCH_UPDATES
 * updates per throughput run (default 10,000); BENCH_LATENCY_SAMPLES single updates per latency
 * run (default 200). The results replace this bench's section of bench/RESULTS.md (between the
 * inbound markers); nothing else in the file is touched. BENCH_NO_WRITE=1 prints only.
 */
import { formatCount, formatFineMs } from './lib/format.js';
import { describeMachine, RunRecord } from './lib/machine.js';
import { publishReport } from './lib/report.js';
import { runBench } from './lib/run-bench.js';
import { TempDirs } from './lib/temp-dirs.js';
import { afterWarmUp } from './lib/timing.js';
import { LATENCY_SAMPLES, RUNS, UPDATES } from './inbound/context.js';
import { CHILD_FLAG, FakeApiProcess, runFakeApiChild } from './inbound/fake-api.js';
import { Gateway } from './inbound/gateway.js';
import { closePlainClient } from './inbound/plain-client.js';
import { benchReport } from './inbound/report.js';
import { createStateDir } from './inbound/state-dir.js';
import {
  baselineLatency,
  baselineThroughput,
  gatewayLatency,
  gatewayThroughput,
} from './inbound/runs.js';

const tempDirs = new TempDirs();
let api: FakeApiProcess | null = null;
let gateway: Gateway | null = null;

async function main(): Promise<void> {
  const server = FakeApiProcess.spawn();
  api = server;
  const run = new RunRecord(describeMachine());
  console.log(
    `inbound bench: ${RUNS} timed runs + 1 warm-up; ${UPDATES} updates per throughput run, ` +
      `${LATENCY_SAMPLES} single updates per latency run`,
  );
  console.log(run.describe());
  const roots = await server.roots(['gateway', 'baseline']);
  const { stateDir, configPath } = createStateDir(tempDirs, roots.gateway);
  const gw = new Gateway(stateDir, configPath);
  gateway = gw;
  await gw.start();
  await server.calls('gateway'); // start counting the gateway's calls from here

  const offset = { value: 0 };
  const runs = await afterWarmUp(RUNS, async (_run, label) => {
    const g = await gatewayThroughput(server, gw, UPDATES);
    const b = await baselineThroughput(server, roots.baseline, UPDATES, offset);
    const l = await gatewayLatency(server, gw, LATENCY_SAMPLES);
    const bl = await baselineLatency(server, roots.baseline, LATENCY_SAMPLES, offset);
    console.log(
      `${label}: gateway ${formatCount(g.perSecond)}/s (pipeline ${formatFineMs(g.pipelineMedianMs)} ms, e2e ${formatFineMs(g.e2eMedianMs)} ms) | ` +
        `raw ${formatCount(b)}/s | latency gateway ${formatFineMs(l.e2eMs)} ms (pipeline ${formatFineMs(l.pipelineMs)} ms), raw ${formatFineMs(bl)} ms`,
    );
    return { gateway: g, baseline: b, latency: l, baselineLatency: bl };
  });
  const calls = await server.calls('gateway');
  const sendMessages = calls['sendMessage'] ?? 0;
  publishReport(benchReport({ ...runs, run: run.finish(), sendMessages }));
}

async function cleanup(): Promise<void> {
  await gateway?.stop().catch(() => undefined);
  gateway = null;
  api?.stop();
  api = null;
  closePlainClient();
  tempDirs.removeAll();
}

if (process.argv.includes(CHILD_FLAG)) {
  runFakeApiChild();
} else {
  await runBench(main, cleanup);
}
