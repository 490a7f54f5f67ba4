import { formatMs, formatRatio } from '../lib/format.js';
import type { Cells, Figure, ReportBlock, Target } from '../lib/report.js';
import { median, present } from '../lib/stats.js';
import { APPROVED } from './fixtures.js';
import { GATEWAY_POLL_MS, type LatencyResult, type NotifySample } from './notify-latency.js';

const TARGET_NOTIFY_MS = 2000;

/**
 * A latency row over runs that may have seen no notice (null): the median and range of those
 * that did, and how many did when not all.
 */
function row(label: string, values: (number | null)[]): Figure | Cells {
  const got = present(values);
  if (got.length === 0) return [label, 'none', `no notice in ${values.length} runs`];
  const note =
    got.length < values.length ? ` (${got.length} of ${values.length} runs had a notice)` : '';
  return { label: label + note, values: got, format: formatMs };
}

/** The timings of a notify sample (the fields that are ms or null). */
type Field = {
  [K in keyof NotifySample]: NotifySample[K] extends number | null ? K : never;
}[keyof NotifySample];

/** Latency rows over one approver's samples, from `[label, field]` pairs. */
function rows(
  samples: NotifySample[],
  entries: [label: string, field: Field][],
): (Figure | Cells)[] {
  return entries.map(([label, field]) =>
    row(
      label,
      samples.map((s) => s[field]),
    ),
  );
}

/** The part of the gate section about approve → notify latency. */
export function notifyBlocks(latency: LatencyResult, refreshMs: number[]): ReportBlock[] {
  const child = latency.approver;
  const cli = latency.cli;
  const commit = present(child.map((s) => s.commitToSendMs));
  const cliQueued = cli?.filter((s) => s.queued).length ?? 0;
  // Every approval that queued a notice must be noticed in time; one that queued none is a
  // functional failure reported on its own row, not a latency.
  const noticed = [
    ...child.map((s) => s.commitToSendMs),
    ...(cli ?? []).filter((s) => s.queued).map((s) => s.auditToSendMs),
  ];
  const late = noticed.filter((v) => v === null || v >= TARGET_NOTIFY_MS).length;
  const worst = Math.max(...present(noticed));
  const allRuns = [...child, ...(cli ?? [])];
  const deliveredAfter = allRuns.filter((s) => s.deliveredAfter).length;
  const probeWait = present(child.map((s) => s.commitToProbeMs));
  const share = present(allRuns.map((s) => s.probeToSendMs));
  const medianOrNull = (xs: number[]): number | null => (xs.length > 0 ? median(xs) : null);
  const targets: Target[] = [
    {
      target: `the gateway notices an approval within ${TARGET_NOTIFY_MS} ms (every approval that queued a notice)`,
      measured: `child median ${formatMs(medianOrNull(commit))} ms, worst of ${noticed.length}: ${formatMs(noticed.length > late ? worst : null)} ms; ${late} late or missing`,
      pass: late === 0 && noticed.length > 0,
    },
    {
      target: '(no target) vs the raw poll at the same interval and tick',
      measured: `${commit.length > 0 && probeWait.length > 0 ? formatRatio(median(commit) / median(probeWait)) : '—'} (the gateway's own share: median ${formatMs(medianOrNull(share))} ms)`,
      pass: null,
    },
    {
      target: "(no target) the approved sender's next message is delivered right after",
      measured: `${deliveredAfter} of ${allRuns.length} runs`,
      // No target, but a message lost after approval is a failure all the same.
      pass: deliveredAfter === allRuns.length ? null : false,
    },
  ];
  if (cli) {
    targets.push({
      target: '(function, not speed) `clawdbot pairing approve --notify` queues a notice',
      measured: `${cliQueued} of ${cli.length} runs`,
      pass: cliQueued === cli.length ? null : false,
    });
  }
  return [
    { heading: '2) Approve → notify latency' },
    {
      text: [
        'A gateway (`composeGateway`) started on a fresh state directory (default `watchIntervalMs`,',
        `${GATEWAY_POLL_MS} ms) with a fake Telegram \`OutboundChannel\` that records \`Date.now()\` when asked to`,
        'send. Each run: a new stranger DMs the gateway (→ pairing reply with a code); another process',
        "approves that code with notify; timed from the approving process's commit until the fake",
        'channel is asked to send the "access approved" notice to that stranger. Approvers, interleaved:',
      ],
    },
    {
      text: [
        '- **child**: a child process (`bench/gate.ts --approver-child` under tsx) that opens the state',
        '  directory with `openDatabase`, calls `PairingService.approve(…, { notify: true, actor: "cli" })`',
        '  and prints `Date.now()` right after it returns (the commit). Always run.',
        ...(cli
          ? [
              '- **CLI**: the built CLI, `node bin/clawdbot.js pairing approve --provider telegram <CODE> --notify`',
              "  with `CLAWDBOT_STATE_DIR` set; its commit time is the approval audit row's `at` (taken inside",
              '  the transaction, so at most a few ms before the commit).',
            ]
          : ['- **CLI**: not run: the built CLI had no `pairing approve --notify` when this ran.']),
        ...(latency.cliError
          ? [
              `- **CLI runs stopped early** (the built CLI failed 5 times in a row): ${latency.cliError}`,
            ]
          : []),
      ],
    },
    {
      text: [
        "Baseline, paired with every approval: the floor of the gateway's design. A raw probe polls",
        '`PRAGMA data_version` of the same database on a connection of its own, at the same interval,',
        "created in the same tick as (and just before) the gateway's watcher, so Node fires both from",
        'one timer list on the same tick, the probe first. "audit `at` → probe" (the approval\'s audit',
        "row's `at` is taken inside its transaction, so it is never after the commit, while a stamp the",
        'approver prints afterwards can lag on a busy machine) is then what any poll at',
        `this interval and phase costs (about uniform on 0–${GATEWAY_POLL_MS} ms, by where the commit falls), and`,
        '"probe → send" is what the gateway itself adds (refresh the approved cache, read the outbox,',
        'call the channel). Separately, each run a second process commits a row to a scratch database',
        'that this process polls every 1 ms: cross-process visibility itself. Spawn-based figures',
        'include Node/tsx start-up.',
      ],
    },
    {
      figures: [
        ...rows(child, [
          [
            `child: commit → notice sent (gateway polls every ${GATEWAY_POLL_MS} ms)`,
            'commitToSendMs',
          ],
          [
            `… baseline: audit \`at\` → raw probe (same ${GATEWAY_POLL_MS} ms poll, same tick) saw it`,
            'commitToProbeMs',
          ],
          ["… the gateway's own share: probe saw it → notice sent", 'probeToSendMs'],
          ["child: approval audit row's `at` → notice sent", 'auditToSendMs'],
          ["child: approver's exit → notice sent", 'exitToSendMs'],
          ['child: approver spawned → notice sent', 'spawnToSendMs'],
        ]),
        ...(cli
          ? rows(cli, [
              ['CLI: audit `at` (≈ commit) → notice sent', 'auditToSendMs'],
              ['… baseline: audit `at` → raw probe (same tick) saw it', 'commitToProbeMs'],
              ["… the gateway's own share: probe saw it → notice sent", 'probeToSendMs'],
              ['CLI: exit → notice sent', 'exitToSendMs'],
              ['CLI: spawned → notice sent', 'spawnToSendMs'],
            ])
          : []),
        row('visibility: raw `data_version` poll every 1 ms, commit → seen', latency.poll1),
        row(
          `measured alone: \`ApprovedCache.refresh()\` with ${APPROVED.toLocaleString('en-US')} entries`,
          refreshMs,
        ),
      ],
    },
    { targets },
  ];
}
