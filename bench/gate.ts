/**
 * Access gate benchmark: `npm run bench:gate` (or `npx tsx bench/gate.ts`).
 *
 * 1) Decisions per second through the real inbound pipeline (gate/decisions.ts), in one process
 *    (the pipeline is synchronous): `decideInbound` with a full `AccessContext` built exactly as
 *    `AccessGate` builds it, and `InboundPipeline.handleInbound` (EnvelopeSchema validation, the
 *    durable inbox, the pipeline, acting on the verdict; one message, so one commit, at a time),
 *    over a fresh state directory with a real SQLite database
 *    (`openDatabase`), a config file parsed by `ConfigSchema`, and an `ApprovedCache` over the
 *    real allowlist repo holding 1,000 approved Telegram senders. Cases: (a) an allowed DM
 *    (dmPolicy `pairing`); (b) a stranger who already has a pending pairing request
 *    (→ `pairing-pending`, which touches last-seen in an immediate SQLite transaction); (c) a
 *    group message checked against 10 mention patterns (`groupPolicy` allowlist with the sender
 *    in `groupAllowFrom`, groups `"*"` with `requireMention`), text matching only the 10th
 *    pattern, and text matching none. Baseline, same run, interleaved batch by batch: the
 *    anchor's approach (gate/anchor.ts), i.e. per message `readFileSync` + `JSON.parse` of the
 *    seed's `credentials/telegram-allowFrom.json` (`{"version":1,"allowFrom":[…1,000 ids]}`) and
 *    a membership check (plus `telegram-pairing.json` for the stranger).
 * 2) Approve-to-notify latency (gate/notify-latency.ts): a started gateway (`composeGateway`) with a fake
 *    outbound channel that records when it is asked to send; another process approves the
 *    pending request with `--notify` (the built CLI `clawdbot pairing approve` when it exists,
 *    and always a child process that calls `PairingService.approve`: this file with
 *    --approver-child); timed from that process's commit to the fake send. Baseline, paired with
 *    every approval: a raw `PRAGMA data_version` probe of the same database at the gateway's
 *    interval, fired on the same timer tick just before the gateway's watcher, so "commit →
 *    probe saw it" is the poll's own cost and "probe → send" the gateway's. Also per run: a
 *    second process (this file with --ping-child) commits a row to a scratch database polled
 *    every 1 ms.
 *
 * Throughput figures are medians of BENCH_RUNS timed batches (default 7, at least 5) of about
 * BENCH_BATCH_MS (default 200) each, after a discarded warm-up round that also sizes the batches;
 * latency figures are medians of BENCH_LATENCY_RUNS runs (default 11, at least 5) after one
 * discarded warm-up. The results replace this bench's own section of bench/RESULTS.md (between
 * the gate markers); nothing else in the file is touched. BENCH_NO_WRITE=1 prints only.
 */
import BetterSqlite3 from 'better-sqlite3';
import { describeMachine, RunRecord } from './lib/machine.js';
import { publishReport } from './lib/report.js';
import { runBench } from './lib/run-bench.js';
import { APPROVER_FLAG, PING_FLAG, childMain } from './gate/children.js';
import { BATCH_MS, LATENCY_RUNS, RUNS, tempDirs } from './gate/context.js';
import { decisionsReport } from './gate/decisions-report.js';
import { measureThroughput } from './gate/decisions.js';
import { measureLatency } from './gate/notify-latency.js';
import { notifyBlocks } from './gate/notify-report.js';

function sqliteVersion(): string {
  const db = new BetterSqlite3(':memory:');
  const { v } = db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
  db.close();
  return v;
}

async function main(): Promise<void> {
  const run = new RunRecord(describeMachine(`SQLite ${sqliteVersion()} (better-sqlite3)`));
  console.log(
    `gate bench: ${RUNS} timed batches of ~${BATCH_MS} ms per figure; ${LATENCY_RUNS} latency runs`,
  );
  console.log(run.describe());

  const throughput = await measureThroughput();
  const latency = await measureLatency();

  const decisions = decisionsReport(throughput, run.aboveCores());
  publishReport({
    name: 'gate',
    run: run.finish(),
    intro: decisions.intro,
    blocks: [...decisions.blocks, ...notifyBlocks(latency, throughput.refreshMs)],
  });
}

const [, , flag, ...childArgs] = process.argv;
if (flag === APPROVER_FLAG || flag === PING_FLAG) {
  childMain(flag, childArgs);
} else {
  await runBench(main, () => tempDirs.removeAll());
}
