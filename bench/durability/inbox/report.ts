import { formatCount, formatFineMs, formatRatio } from '../../lib/format.js';
import type { RunInfo } from '../../lib/machine.js';
import { figures, type BenchReport } from '../../lib/report.js';
import { median } from '../../lib/stats.js';
import { LATENCY_SAMPLES, SENDERS, UPDATES } from '../../inbound/context.js';
import type { Latency, Throughput } from '../../inbound/runs.js';

/** The section's name in RESULTS.md. */
const SECTION = 'durability-inbox';
const TARGET_COST_RATIO = 1.25;
const TARGET_PER_S = 2000;

/** The timed runs of every figure, and the run they were measured in. */
export interface Results {
  durable: Throughput[];
  memory: Throughput[];
  durableLatency: Latency[];
  memoryLatency: Latency[];
  run: RunInfo;
  /** How many messages each inbox held at the end, by state: every one should be `done`. */
  durableStates: Record<string, number>;
  memoryStates: Record<string, number>;
}

function describeStates(states: Record<string, number>): string {
  return Object.entries(states)
    .map(([state, n]) => `${formatCount(n)} ${state}`)
    .join(', ');
}

/** The durability-inbox section of RESULTS.md. */
export function benchReport(r: Results): BenchReport {
  const rate = median(r.durable.map((d) => d.perSecond));
  // The cost of a message: the gateway's CPU time for it, durable ÷ in memory, run by run. The
  // inverse rates give the same ratio on an idle machine; on a shared one, CPU time is steadier.
  const ratios = r.durable.map((d, i) => d.cpuMicrosPerUpdate / r.memory[i]!.cpuMicrosPerUpdate);
  const ratio = median(ratios);
  const wallRatios = r.durable.map((d, i) => r.memory[i]!.perSecond / d.perSecond);
  return {
    name: SECTION,
    run: r.run,
    script: { npm: 'durability', file: 'bench/durability/inbox.ts' },
    intro: [
      '(the machine is shared; absolute figures move with its load, so each run also gives a ratio against',
      'its own baseline).',
      `Each figure is the median of ${r.durable.length} timed runs after one discarded warm-up (min–max beside it);`,
      'durable and in-memory are measured in the same run, interleaved run by run (which goes first alternates).',
    ],
    blocks: [
      {
        text: [
          'Setup: as `bench:inbound` — the fake Bot API server (`test/fixtures/fake-telegram-api.ts`, real HTTP on',
          '127.0.0.1) in a child process, real grammY and `createTelegramProvider`, the real `InboundPipeline` +',
          `\`ProviderManager\`, a session step that records arrivals; ${SENDERS.toLocaleString('en-US')} allowed senders,`,
          'DMs round-robin. Two such gateways, each polling a bot of its own: one records every update in the',
          'SQLite inbox before its offset is confirmed (WAL, `synchronous=NORMAL`: one transaction per',
          '`getUpdates` batch, claims and finishes batched per round), the other keeps the same inbox in memory',
          '(`bench/durability/inbox/memory-inbox.ts`: same rows, states and de-duplication, nothing written).',
        ],
      },
      { heading: `Throughput: ${UPDATES.toLocaleString('en-US')} queued updates → session step` },
      {
        text: [
          'Timed from asking the server to queue the updates (a long poll is waiting) until the last one reached',
          'the session step; the CPU time is this process’s (user + system) over the same span, per update (the',
          'fake server runs in its own process and is not in it). The target is judged on CPU time: the rate',
          'on this shared machine moves with other processes’ load, the CPU a message costs much less.',
        ],
      },
      {
        unit: '',
        figures: [
          ...figures(formatCount, [
            ['durable inbox (SQLite): updates/s', r.durable.map((d) => d.perSecond)],
            ['baseline, inbox in memory: updates/s', r.memory.map((m) => m.perSecond)],
          ]),
          ...figures(formatFineMs, [
            [
              'durable: CPU time per update, µs (this process: grammY, provider, inbox, pipeline)',
              r.durable.map((d) => d.cpuMicrosPerUpdate),
            ],
            ['in memory: CPU time per update, µs', r.memory.map((m) => m.cpuMicrosPerUpdate)],
          ]),
          ...figures(formatRatio, [
            ['cost per message (CPU time), durable ÷ in memory, per run', ratios],
            ['time per message (1 ÷ rate), durable ÷ in memory, per run', wallRatios],
          ]),
          ...figures(formatFineMs, [
            [
              '… durable, under this load: envelope → session step, ms (median per update)',
              r.durable.map((d) => d.pipelineMedianMs),
            ],
            [
              '… in memory, under this load: envelope → session step, ms (median per update)',
              r.memory.map((m) => m.pipelineMedianMs),
            ],
          ]),
        ],
      },
      { heading: `Latency: one update at a time (${LATENCY_SAMPLES} per run)` },
      {
        text: [
          'From the server writing the poll response to the session step, and the part of it from the provider',
          'handing the envelope over (the inbox write and the claim are in it) to the session step.',
        ],
      },
      {
        figures: figures(formatFineMs, [
          ['durable: response written → session step', r.durableLatency.map((l) => l.e2eMs)],
          ['in memory: response written → session step', r.memoryLatency.map((l) => l.e2eMs)],
          [
            'durable: envelope handed over → session step',
            r.durableLatency.map((l) => l.pipelineMs),
          ],
          [
            'in memory: envelope handed over → session step',
            r.memoryLatency.map((l) => l.pipelineMs),
          ],
        ]),
      },
      {
        targets: [
          {
            target: `cost per message with durable recording ≤ ${TARGET_COST_RATIO}× without (CPU time)`,
            measured: `${formatRatio(ratio)} (per run ${formatRatio(Math.min(...ratios))}–${formatRatio(Math.max(...ratios))}; by rate ${formatRatio(median(wallRatios))})`,
            pass: ratio <= TARGET_COST_RATIO,
          },
          {
            target: `≥ ${TARGET_PER_S.toLocaleString('en-US')} Telegram updates/s with durable recording`,
            measured: `${formatCount(rate)} updates/s`,
            pass: rate >= TARGET_PER_S,
          },
        ],
      },
      {
        text: [
          'Every update reached the session step (the bench waits for each by id). At the end, the durable',
          `inbox held ${describeStates(r.durableStates)}; the in-memory one ${describeStates(r.memoryStates)}.`,
        ],
      },
    ],
  };
}
