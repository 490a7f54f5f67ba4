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
 * Not measured here: request → dialog visible in the web UI, and request → the owner's Telegram
 * message sent (the other two targets); see the section's note.
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
import { envNumber } from './lib/env.js';
import { describeMachine, RunRecord } from './lib/machine.js';
import { figures, publishReport } from './lib/report.js';
import { runBench } from './lib/run-bench.js';
import { median } from './lib/stats.js';

const RUNS = envNumber('BENCH_RUNS', 7, 5);
const BATCH = envNumber('BENCH_BATCH', 20_000, 1000);
const us = (value: number): string => value.toFixed(2);
const root = mkdtempSync(join(tmpdir(), 'clawdbot-bench-approvals-'));

function gateFor(policy: ApprovalsConfig): ApprovalGate {
  const db = openDatabase(join(root, policy.host));
  return new ApprovalGate({
    db,
    repo: createApprovalsRepo(db),
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
  publishReport({
    name: 'approvals',
    run: run.finish(),
    intro: [
      `Per host command, median of ${RUNS} batches of ${BATCH} \`ApprovalGate.check\` calls for \`git status\` on the host, after a warm-up batch.`,
      'Allowlisted: `host: "ask"` with the 9 seeded entries plus 50 exact and 10 prefix entries (`git status` is a seeded exact entry). Baseline, same run, interleaved: `host: "off"`.',
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
      {
        targets: [
          {
            target: 'an allowlisted command costs < 1 ms more than approvals off',
            measured: `${us(addedMedian)} µs`,
            pass: addedMedian < 1000,
          },
          {
            target: 'request → dialog visible in the web UI < 200 ms',
            measured: 'not measured by this bench',
            pass: null,
          },
          {
            target: "request → owner's Telegram message sent < 300 ms (fake Bot API)",
            measured: 'not measured by this bench',
            pass: null,
          },
        ],
      },
    ],
  });
}

await runBench(main, () => rmSync(root, { recursive: true, force: true }));
