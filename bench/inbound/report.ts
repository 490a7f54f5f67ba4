import { formatCount, formatFineMs } from '../lib/format.js';
import type { RunInfo } from '../lib/machine.js';
import { figures, type BenchReport } from '../lib/report.js';
import { median } from '../lib/stats.js';
import { LATENCY_SAMPLES, SENDERS, UPDATES } from './context.js';
import type { Latency, Throughput } from './runs.js';

const TARGET_PER_S = 2000;
const TARGET_ADDED_MS = 2;

/** The timed runs of every figure, and the run they were measured in. */
export interface Results {
  gateway: Throughput[];
  baseline: number[];
  latency: Latency[];
  baselineLatency: number[];
  run: RunInfo;
  /** Replies the gateway sent during the bench (expected none: the session step answers nothing). */
  sendMessages: number;
}

/** The inbound section of RESULTS.md. */
export function benchReport(r: Results): BenchReport {
  const rate = median(r.gateway.map((g) => g.perSecond));
  const raw = median(r.baseline);
  const e2e = median(r.latency.map((l) => l.e2eMs));
  const rawLatency = median(r.baselineLatency);
  const added = e2e - rawLatency;
  const pipeline = median(r.latency.map((l) => l.pipelineMs));
  const ratios = r.gateway.map((g, i) => g.perSecond / r.baseline[i]!);
  return {
    name: 'inbound',
    run: r.run,
    intro: [
      '(the machine is shared; absolute figures move with its load, so each run also gives a ratio against',
      'its own baseline).',
      `Each figure is the median of ${r.baseline.length} timed runs after one discarded warm-up (min–max beside it);`,
      'gateway and baseline are measured in the same run, interleaved run by run.',
    ],
    blocks: [
      {
        text: [
          `Setup: the fake Bot API server (\`test/fixtures/fake-telegram-api.ts\`, real HTTP on 127.0.0.1) in a`,
          'child process; the gateway side is real grammY (Bot API client, auto-retry, `createTelegramProvider`',
          'polling with the offset confirmed only once a batch is in the inbox) and the real `InboundPipeline` +',
          '`ProviderManager` over SQLite (every update recorded in the inbox, claimed and finished), with a',
          'session step that records arrivals (no reply).',
          `Senders: ${SENDERS.toLocaleString('en-US')} ids in \`telegram.allowFrom\` (\`dmPolicy: "allowlist"\`), DMs round-robin.`,
        ],
      },
      { heading: `Throughput: ${UPDATES.toLocaleString('en-US')} queued updates → session step` },
      {
        text: [
          'Timed from asking the server to queue the updates (a long poll is waiting) until the last one reached',
          'the session step. Baseline: a plain `node:http` client (keep-alive, one request at a time) draining as',
          'many updates from the same server in `getUpdates` batches of 100 and parsing them.',
        ],
      },
      {
        unit: '',
        figures: [
          ...figures(formatCount, [
            [
              'gateway: updates/s through grammY + inbox + pipeline',
              r.gateway.map((g) => g.perSecond),
            ],
            ['baseline: raw server throughput, updates/s', r.baseline],
          ]),
          ...figures((v) => `${v.toFixed(2)}×`, [['gateway ÷ baseline, per run', ratios]]),
          ...figures(formatFineMs, [
            [
              '… under this load: envelope → session step, ms (median per update)',
              r.gateway.map((g) => g.pipelineMedianMs),
            ],
            [
              '… under this load: poll response written → session step, ms (queueing included)',
              r.gateway.map((g) => g.e2eMedianMs),
            ],
          ]),
        ],
      },
      { heading: `Latency: one update at a time (${LATENCY_SAMPLES} per run)` },
      {
        text: [
          'Each update is timed from the moment the server wrote the poll response carrying it to the session',
          'step (gateway), or to the plain client having parsed it (baseline); the clock is',
          '`performance.timeOrigin + now()` in both processes, and the difference of the two medians (the added',
          'latency) cancels the clocks’ skew and the HTTP hop.',
        ],
      },
      {
        figures: figures(formatFineMs, [
          ['gateway: response written → session step', r.latency.map((l) => l.e2eMs)],
          ['baseline: response written → plain client parsed it', r.baselineLatency],
          [
            'pipeline alone: envelope handed to the gateway → session step',
            r.latency.map((l) => l.pipelineMs),
          ],
        ]),
      },
      {
        targets: [
          {
            target: `≥ ${TARGET_PER_S.toLocaleString('en-US')} updates/s`,
            measured: `${formatCount(rate)} updates/s (${median(ratios).toFixed(2)}× the raw server in the same run; its median ${formatCount(raw)}/s)`,
            pass: rate >= TARGET_PER_S,
          },
          {
            target: `added latency < ${TARGET_ADDED_MS} ms (median)`,
            measured: `${formatFineMs(added)} ms (${formatFineMs(e2e)} − ${formatFineMs(rawLatency)}); pipeline alone ${formatFineMs(pipeline)} ms`,
            pass: added < TARGET_ADDED_MS,
          },
        ],
      },
      {
        text: [
          `Every update reached the session step (the bench waits for each by id, so a dropped one would stall it);`,
          `replies sent by the gateway during the bench: ${r.sendMessages} (the session step answers nothing).`,
        ],
      },
    ],
  };
}
