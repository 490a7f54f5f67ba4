/**
 * Exec approvals benchmark: `npm run bench:approvals` (or `npx tsx bench/approvals.ts`).
 *
 * The cost an allowlisted host command pays for approvals: `ApprovalGate.check` (the policy,
 * the allowlist match over the 9 seeded entries plus 50 exact and 10 prefix entries, no request
 * stored) for `git status`, against the same gate with `agent.approvals.host: "off"` (the
 * baseline, same run, interleaved batch by batch). Each figure is the median of BENCH_RUNS
 * (default 7, at least 5) batches of BENCH_BATCH (default 20,000) checks, after a discarded
 * warm-up batch. The results replace this bench's own section of bench/RESULTS.md;
 * BENCH_NO_WRITE=1 prints only.
 *
 * Latency (bench/approvals/latency.ts), BENCH_LATENCY_RUNS samples (default 7, at least 5)
 * after a discarded warm-up, each a real request from an obedient scripted model through the
 * built gateway child: request stored → approval dialog open in the web UI (Chromium), with a
 * pairing request stored → its toast shown as the same-run baseline; and request stored → the
 * owner's Telegram message with buttons received by the fake Bot API, with a stranger's pairing
 * request stored → their pairing-code reply received as the baseline. BENCH_NO_LATENCY=1 skips
 * them (the allowlist figure alone).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ApprovalsConfigSchema,
  type ApprovalsConfig,
} from '../src-shared/config/approvals-schema.js';
import { ApprovalGate } from '../src-main/gateway/approvals/approval-gate.js';
import { silentLogger } from '../src-main/logging/logger.js';
import { createApprovalsRepo } from '../src-main/store/approvals-repo.js';
import { openDatabase } from '../src-main/store/open-database.js';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../test/fixtures/scripted-model-server.js';
import { builtGateway } from '../test/helpers/paths.js';
import { TelegramLatency, WebLatency } from './approvals/latency.js';
import { ensureBuilt } from './lib/build.js';
import { envFlag, envNumber } from './lib/env.js';
import { formatMs } from './lib/format.js';
import { describeMachine, RunRecord } from './lib/machine.js';
import { figures, publishReport } from './lib/report.js';
import { runBench } from './lib/run-bench.js';
import { afterWarmUp } from './lib/timing.js';
import { median } from './lib/stats.js';

const RUNS = envNumber('BENCH_RUNS', 7, 5);
const BATCH = envNumber('BENCH_BATCH', 20_000, 1000);
const LATENCY_RUNS = envNumber('BENCH_LATENCY_RUNS', 7, 5);
const us = (value: number): string => value.toFixed(2);
const root = mkdtempSync(join(tmpdir(), 'clawdbot-bench-approvals-'));

function gateFor(policy: ApprovalsConfig): ApprovalGate {
  const db = openDatabase(join(root, policy.host));
  return new ApprovalGate({
    db,
    repo: createApprovalsRepo(db, silentLogger),
    policy: () => policy,
    log: silentLogger,
    record: () => undefined,
    announcer: { requested: () => undefined, decided: () => undefined },
    now: Date.now,
  });
}

async function batchMs(gate: ApprovalGate): Promise<number> {
  const signal = new AbortController().signal;
  const ask = {
    sessionKey: 'main',
    command: 'git status',
    where: 'host' as const,
    engine: null,
    cwd: '/tmp',
    senderId: 'owner',
    senderName: null,
    provider: 'console',
    message: 'status?',
    elevatedGuest: false,
    signal,
  };
  const start = performance.now();
  for (let i = 0; i < BATCH; i++) {
    const answer = await gate.check(ask);
    if (!answer.run) throw new Error('the allowlisted command was not let through');
  }
  // Microseconds per check: far below a millisecond, so ms would print zeros.
  return ((performance.now() - start) * 1000) / BATCH;
}

/** The two latency figures and their baselines, in ms, one entry per timed sample. */
interface Latency {
  dialog: number[];
  pairingToast: number[];
  prompt: number[];
  pairingReply: number[];
}

async function latency(model: ScriptedModelServer): Promise<Latency> {
  ensureBuilt(builtGateway);
  const web = await WebLatency.start(root, model);
  const telegram = await TelegramLatency.start(root, model).catch(async (error: unknown) => {
    await web.close();
    throw error;
  });
  try {
    // Interleaved sample by sample, so each figure and its baseline see the same load.
    return await afterWarmUp(LATENCY_RUNS, async (run, label) => {
      const w = await web.sample(run);
      const t = await telegram.sample(run);
      console.log(
        `${label}: dialog ${formatMs(w.dialog)} ms (pairing toast ${formatMs(w.pairingToast)} ms); ` +
          `Telegram prompt ${formatMs(t.prompt)} ms (pairing reply ${formatMs(t.pairingReply)} ms)`,
      );
      return { ...w, ...t };
    });
  } finally {
    await telegram.close();
    await web.close();
  }
}

async function main(): Promise<void> {
  const run = new RunRecord(describeMachine());
  const extra = [
    ...Array.from({ length: 50 }, (_, i) => ({ command: `make target-${i}`, match: 'exact' })),
    ...Array.from({ length: 10 }, (_, i) => ({ command: `npm run task-${i}`, match: 'prefix' })),
  ];
  const base = ApprovalsConfigSchema.parse({});
  const ask = gateFor({
    ...base,
    allowlist: [...base.allowlist, ...ApprovalsConfigSchema.parse({ allowlist: extra }).allowlist],
  });
  const off = gateFor(ApprovalsConfigSchema.parse({ host: 'off' }));
  await batchMs(ask);
  await batchMs(off);
  const askMs: number[] = [];
  const offMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    askMs.push(await batchMs(ask));
    offMs.push(await batchMs(off));
  }
  const added = askMs.map((ms, i) => ms - offMs[i]!);
  const addedMedian = median(added);
  console.log(`allowlisted: ${us(median(askMs))} µs; off: ${us(median(offMs))} µs`);

  let measured: Latency | null = null;
  if (!envFlag('BENCH_NO_LATENCY')) {
    const model = await startScriptedModelServer(obeyingAttacker());
    try {
      measured = await latency(model);
    } finally {
      await model.close();
    }
  }
  const latencyTarget = (target: string, values: number[] | undefined, limitMs: number) => {
    const value = values ? median(values) : null;
    return {
      target,
      measured: value === null ? 'not measured (BENCH_NO_LATENCY=1)' : `${formatMs(value)} ms`,
      pass: value === null ? null : value < limitMs,
    };
  };

  publishReport({
    name: 'approvals',
    run: run.finish(),
    intro: [
      `Per host command, median of ${RUNS} batches of ${BATCH} \`ApprovalGate.check\` calls for \`git status\` on the host, after a warm-up batch.`,
      'Allowlisted: `host: "ask"` with the 9 seeded entries plus 50 exact and 10 prefix entries (`git status` is a seeded exact entry). Baseline, same run, interleaved: `host: "off"`.',
      '',
      `Latency: median of ${LATENCY_RUNS} samples after a warm-up, each a real request (an obedient scripted model asks for \`echo …\` on the host; the built gateway child stores it) timed from its stored \`requested_at\`. Web UI: the headless supervisor and Chromium on its page; "seen" is the page's own \`Date.now()\` when the \`<dialog>\` is open (a MutationObserver), then Escape denies. Baseline, same page and transport (SQLite change → supervisor event → WebSocket → render): a pairing request stored → its toast shown. Telegram: the real supervisor and gateway child polling the fake Bot API (a real HTTP server in the bench process); "sent" is when the fake API received the \`sendMessage\` with the buttons, then Deny is pressed. Baseline, same run: a stranger's pairing request stored → the fake API received their pairing-code reply (the gateway's ordinary reply path). The baseline came out slower than the figure in this run; the bench does not break down why (both reach the page through the supervisor's database watch).`,
    ],
    blocks: [
      {
        unit: 'µs',
        figures: figures(us, [
          ['allowlisted command (`host: ask`)', askMs],
          ['approvals off (baseline)', offMs],
          ['added by approvals', added],
        ]),
      },
      ...(measured
        ? [
            {
              unit: 'ms',
              figures: figures(formatMs, [
                ['request → approval dialog open in the web UI', measured.dialog],
                ['baseline: pairing request → its toast in the web UI', measured.pairingToast],
                ["request → the owner's Telegram message sent (fake Bot API)", measured.prompt],
                ['baseline: pairing request → the pairing-code reply sent', measured.pairingReply],
              ]),
            },
          ]
        : []),
      {
        targets: [
          {
            target: 'an allowlisted command costs < 1 ms more than approvals off',
            measured: `${us(addedMedian)} µs`,
            pass: addedMedian < 1000,
          },
          latencyTarget('request → dialog visible in the web UI < 200 ms', measured?.dialog, 200),
          latencyTarget(
            "request → owner's Telegram message sent < 300 ms (fake Bot API)",
            measured?.prompt,
            300,
          ),
        ],
      },
    ],
  });
}

await runBench(main, () => rmSync(root, { recursive: true, force: true }));
