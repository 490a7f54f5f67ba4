import { cpus } from 'node:os';
import { formatCompactRate, formatRange, formatRatio } from '../lib/format.js';
import type { ReportBlock, Target } from '../lib/report.js';
import { median } from '../lib/stats.js';
import { BATCH_MS, RUNS } from './context.js';
import type { Op, ThroughputResult } from './decisions.js';
import { APPROVED } from './fixtures.js';

const TARGET_ALLOWED_PER_S = 100_000;

/** The part of the gate section about the run as a whole and the decisions figures. */
export function decisionsReport(
  throughput: ThroughputResult,
  loadHigh: boolean,
): { intro: string[]; blocks: ReportBlock[] } {
  const byKey = new Map(throughput.cases.flatMap((c) => c.ops).map((o) => [o.key, o]));
  const get = (key: string): Op => byKey.get(key)!;
  const med = (key: string) => median(get(key).rates);
  /** Ratio of medians, and the range of the per-round ratios (same round, same load). */
  const ratio = (key: string, base: string): string => {
    const perRound = get(key).rates.map((r, i) => r / get(base).rates[i]!);
    return `${formatRatio(med(key) / med(base))} (${formatRange(perRound, formatRatio)})`;
  };
  const approved = APPROVED.toLocaleString('en-US');

  const intro = [
    '(the machine is shared; absolute figures move with its load, ratios much less).',
    ...(loadHigh
      ? [
          `The load was above the core count (${cpus().length}): this single-threaded bench had to share its core`,
          'at times, so its absolute rates understate an idle core.',
        ]
      : []),
    `Throughput: one process, one thread (the pipeline is synchronous); each figure is the median of`,
    `${RUNS} timed batches of about ${BATCH_MS} ms after warm-up batches (min–max range beside it); every`,
    'figure and its baseline are measured in the same run, interleaved batch by batch; a ratio is',
    'the ratio of the medians, with the range of the per-round ratios in brackets. Every timed',
    'decision is checked to be the expected verdict.',
  ];
  const rows: string[][] = [];
  for (const c of throughput.cases) {
    const anchor = c.ops.find((o) => o.kind === 'anchor');
    c.ops.forEach((o, index) => {
      // Our paths and the anchor's variants are compared with the anchor; other diagnostics not.
      const compared =
        anchor && (o.kind === 'ours' || o.kind === 'core' || o.key.startsWith(anchor.key));
      const vs = o === anchor ? '1×' : compared ? ratio(o.key, anchor.key) : '—';
      const rate = formatCompactRate(med(o.key));
      const range = formatRange(o.rates, formatCompactRate);
      rows.push([index === 0 ? c.title : '', o.label, rate, range, vs]);
    });
  }
  /** A rate target: the median, the slowest batch, the verdict. */
  const target = (label: string, key: string): Target => {
    const rate = med(key);
    const min = formatCompactRate(Math.min(...get(key).rates));
    return {
      target: label,
      measured: `${formatCompactRate(rate)}/s (min batch ${min}/s)`,
      pass: rate >= TARGET_ALLOWED_PER_S,
    };
  };
  const blocks: ReportBlock[] = [
    { heading: '1) Decisions per second through the real pipeline' },
    {
      text: [
        `Fresh state directory on disk (ext4) with a real SQLite database (\`openDatabase\`: WAL,`,
        '`synchronous = NORMAL`), the config file parsed by `ConfigSchema` (Telegram: `dmPolicy`',
        `\`pairing\`, \`groupPolicy\` \`allowlist\` with the ${approved} ids in \`groupAllowFrom\`, \`groups\` \`"*"\``,
        `with \`requireMention\`, 10 \`mentionPatterns\`), an \`ApprovedCache\` over the allowlist repo with`,
        `${approved} approved senders, and a stranger with a pending request made by \`PairingService.onStranger\`.`,
        '`decideInbound` gets a fresh `AccessContext` per message, built as `AccessGate.decide`',
        'builds it (parsed envelope, compiled access, approved cache, `onStranger` closure);',
        '`InboundPipeline.handleInbound` gets the raw envelope a provider hands over and also runs',
        '`EnvelopeSchema.safeParse`, records the message in the durable inbox, acts on the verdict and',
        'records it finished (awaited one message at a time, so every message is a commit of its own; a',
        'provider records a whole batch in one, see `bench:inbound` and `bench:durability`; the session',
        'sink is a no-op). Senders cycle through the 1,000 approved ids.',
      ],
    },
    {
      text: [
        "Baseline (the anchor's approach, whose stores were these JSON files): per message `readFileSync` +",
        '`JSON.parse` of `credentials/telegram-allowFrom.json` (`{"version":1,"allowFrom":[…1,000',
        `ids]}\`, compact, ${(throughput.allowBytes / 1024).toFixed(1)} KiB) and \`Array.includes\`; for the stranger also \`telegram-pairing.json\``,
        '(parse, drop expired, find the sender); for groups the same read, then the very same mention',
        'check (normalise + the 10 compiled patterns). Synchronous reads: the fastest form of it.',
      ],
    },
    {
      columns: [
        ['case', 'left'],
        ['path', 'left'],
        ['median decisions/s', 'right'],
        ['range', 'right'],
        ['vs anchor', 'right'],
      ],
      rows,
    },
    {
      targets: [
        target(
          `allowed DM ≥ ${TARGET_ALLOWED_PER_S.toLocaleString('en-US')} decisions/s, one core: \`decideInbound\``,
          'a-ours',
        ),
        {
          target:
            '(no target since the durable inbox: a commit per message here) … the same through `InboundPipeline.handleInbound`',
          measured: `${formatCompactRate(med('a-core'))}/s (min batch ${formatCompactRate(Math.min(...get('a-core').rates))}/s)`,
          pass: null,
        },
        {
          target: '(no target) pending stranger, `decideInbound` vs anchor',
          measured: ratio('b-ours', 'b-anchor'),
          pass: null,
        },
        {
          target: '(no target) group, 10 patterns, last matches, `decideInbound` vs anchor',
          measured: ratio('c1-ours', 'c1-anchor'),
          pass: null,
        },
        {
          target: '(no target) group, 10 patterns, none match, `decideInbound` vs anchor',
          measured: ratio('c2-ours', 'c2-anchor'),
          pass: null,
        },
      ],
    },
  ];
  return { intro, blocks };
}
