/**
 * Durability benchmark, inbox: `npm run bench:durability` (all of bench/durability/), or
 * `npx tsx bench/durability/inbox.ts`.
 *
 * What recording every inbound message durably costs: Telegram updates per second through the
 * gateway's inbound side (bench/inbound's setup: the fake Bot API in a child process, real grammY
 * and provider, `InboundPipeline` + `ProviderManager`, a session step that records arrivals)
 * with the inbox in SQLite, against the same gateway with the inbox in memory
 * (`inbox/memory-inbox.ts`). Both run in this process, each polling a bot of its own; runs
 * interleave and alternate which goes first. Each run gives the rate and this process's CPU time
 * per update. Targets: the cost per message (CPU time; the inverse rate is shown beside it) with
 * durable recording at most 1.25× without, and still ≥ 2,000 updates/s.
 *
 * BENCH_RUNS timed runs (default 7, at least 5) after one discarded warm-up; BENCH_UPDATES updates
 * per throughput run (default 10,000); BENCH_LATENCY_SAMPLES single updates per latency run
 * (default 200). The results replace this bench's section of bench/RESULTS.md (between the
 * durability-inbox markers). BENCH_NO_WRITE=1 prints only.
 */
import { formatCount, formatFineMs, formatRatio } from '../lib/format.js';
import { describeMachine, RunRecord } from '../lib/machine.js';
import { publishReport } from '../lib/report.js';
import { runBench } from '../lib/run-bench.js';
import { TempDirs } from '../lib/temp-dirs.js';
import { afterWarmUp } from '../lib/timing.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { LATENCY_SAMPLES, RUNS, UPDATES } from '../inbound/context.js';
import { CHILD_FLAG, FakeApiProcess, runFakeApiChild } from '../inbound/fake-api.js';
import { Gateway } from '../inbound/gateway.js';
import { gatewayLatency, gatewayThroughput, type Throughput } from '../inbound/runs.js';
import { createStateDir } from '../inbound/state-dir.js';
import { MemoryInboxRepo } from './inbox/memory-inbox.js';
import { benchReport } from './inbox/report.js';

const tempDirs = new TempDirs();
let api: FakeApiProcess | null = null;
const gateways: Gateway[] = [];

/** How many inbox rows a state dir's database holds, by state. */
function inboxStates(stateDir: string): Record<string, number> {
  const db = openDatabase(stateDir);
  try {
    const rows = db.prepare('SELECT state, count(*) AS n FROM inbox GROUP BY state').all() as {
      state: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.state, r.n]));
  } finally {
    db.close();
  }
}

async function main(): Promise<void> {
  const server = FakeApiProcess.spawn('durability/inbox');
  api = server;
  const run = new RunRecord(describeMachine());
  console.log(
    `durability/inbox bench: ${RUNS} timed runs + 1 warm-up; ${UPDATES} updates per throughput ` +
      `run, ${LATENCY_SAMPLES} single updates per latency run`,
  );
  console.log(run.describe());
  const roots = await server.roots(['durable', 'memory']);
  const durableDir = createStateDir(tempDirs, roots.durable);
  const memoryDir = createStateDir(tempDirs, roots.memory);
  const memoryInbox = new MemoryInboxRepo();
  const durable = new Gateway(durableDir.stateDir, durableDir.configPath);
  const memory = new Gateway(memoryDir.stateDir, memoryDir.configPath, memoryInbox);
  gateways.push(durable, memory);
  await durable.start();
  await memory.start();

  const runs = await afterWarmUp(RUNS, async (index, label) => {
    // Whichever goes first may find the machine fresher: alternate.
    let d: Throughput;
    let m: Throughput;
    if (index % 2 === 0) {
      d = await gatewayThroughput(server, durable, UPDATES, 'durable');
      m = await gatewayThroughput(server, memory, UPDATES, 'memory');
    } else {
      m = await gatewayThroughput(server, memory, UPDATES, 'memory');
      d = await gatewayThroughput(server, durable, UPDATES, 'durable');
    }
    const dl = await gatewayLatency(server, durable, LATENCY_SAMPLES, 'durable');
    const ml = await gatewayLatency(server, memory, LATENCY_SAMPLES, 'memory');
    console.log(
      `${label}: durable ${formatCount(d.perSecond)}/s, ${formatFineMs(d.cpuMicrosPerUpdate)} µs CPU | ` +
        `in memory ${formatCount(m.perSecond)}/s, ${formatFineMs(m.cpuMicrosPerUpdate)} µs CPU | ` +
        `cost ${formatRatio(d.cpuMicrosPerUpdate / m.cpuMicrosPerUpdate)} | latency durable ` +
        `${formatFineMs(dl.pipelineMs)} ms, in memory ${formatFineMs(ml.pipelineMs)} ms (envelope → session step)`,
    );
    return { durable: d, memory: m, durableLatency: dl, memoryLatency: ml };
  });
  for (const gateway of gateways.splice(0)) await gateway.stop();
  publishReport(
    benchReport({
      ...runs,
      run: run.finish(),
      durableStates: inboxStates(durableDir.stateDir),
      memoryStates: memoryInbox.states(),
    }),
  );
}

async function cleanup(): Promise<void> {
  for (const gateway of gateways.splice(0)) await gateway.stop().catch(() => undefined);
  api?.stop();
  api = null;
  tempDirs.removeAll();
}

if (process.argv.includes(CHILD_FLAG)) {
  runFakeApiChild();
} else {
  await runBench(main, cleanup);
}
