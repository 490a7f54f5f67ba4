/**
 * 1) Decisions per second through the real inbound pipeline, beside the anchor's approach,
 * interleaved batch by batch.
 */
import { readFileSync } from 'node:fs';
import { ConfigSchema } from '../../src-shared/config/schema.js';
import { EnvelopeSchema, type Envelope } from '../../src-shared/domain/envelope.js';
import { PairingService } from '../../src-main/access/pairing-service.js';
import { ApprovedCache } from '../../src-main/gateway/access/approved-cache.js';
import {
  compileAccess,
  normalizeForMentions,
} from '../../src-main/gateway/access/compiled-access.js';
import { decideInbound } from '../../src-main/gateway/access/pipeline.js';
import type { Verdict } from '../../src-main/gateway/access/verdict.js';
import { composeGateway } from '../../src-main/gateway/gateway-composition.js';
import { formatCompactRate } from '../lib/format.js';
import { calibrateBatch, timeRounds, type BatchedOp } from '../lib/throughput.js';
import { timeRepeated } from '../lib/timing.js';
import { AnchorStores } from './anchor.js';
import { BATCH_MS, RUNS, assert, freshRoot, quietLogger } from './context.js';
import {
  APPROVED,
  PROVIDER,
  STRANGER_ID,
  TEXT_LAST_ONLY,
  TEXT_NONE,
  approvedIds,
  createState,
  dmRaw,
  groupRaw,
} from './fixtures.js';

/** One measured path of a case: ours, through the gateway's inbound pipeline, the anchor's, or a diagnostic. */
export interface Op extends BatchedOp {
  key: string;
  kind: 'ours' | 'core' | 'anchor' | 'diag';
}

/** One row group of the decisions table: a case and the paths measured for it. */
export interface ThroughputCase {
  title: string;
  ops: Op[];
}

/** Everything the decisions part of the report needs. */
export interface ThroughputResult {
  cases: ThroughputCase[];
  refreshMs: number[];
  /** Size of the anchor's allowFrom file, bytes. */
  allowBytes: number;
}

const CORE = '`InboundPipeline.handleInbound` (+ EnvelopeSchema)';

function op(
  key: string,
  label: string,
  kind: Op['kind'],
  fn: Pick<BatchedOp, 'sync' | 'async'>,
): Op {
  return { key, label, kind, ...fn, batch: 0, rates: [] };
}

/** A group case: `decideInbound`, the inbound pipeline, and the anchor's read plus the same mention check. */
function groupCase(
  key: string,
  title: string,
  ours: (i: number) => boolean,
  viaCore: (i: number) => Promise<boolean>,
  anchor: (i: number) => boolean,
): ThroughputCase {
  return {
    title,
    ops: [
      op(`${key}-ours`, '`decideInbound`', 'ours', { sync: ours }),
      op(`${key}-core`, CORE, 'core', { async: viaCore }),
      op(`${key}-anchor`, 'anchor: read + parse allowFrom.json, same mention check', 'anchor', {
        sync: anchor,
      }),
    ],
  };
}

const isDeliver = (v: Verdict | null): boolean => v?.action === 'deliver';
const isPending = (v: Verdict | null): boolean =>
  v?.action === 'drop' && v.reason === 'pairing-pending';
const isUnmentioned = (v: Verdict | null): boolean =>
  v?.action === 'drop' && v.reason === 'not-mentioned';

/** Measures every case on a fresh state directory; each timed call's verdict is checked. */
export async function measureThroughput(): Promise<ThroughputResult> {
  const root = freshRoot();
  const { db, store, stateDir, configPath } = createState(root);

  // The pipeline's inputs, exactly as the gateway's AccessGate builds them.
  const access = compileAccess(ConfigSchema.parse(JSON.parse(readFileSync(configPath, 'utf8'))));
  const approved = new ApprovedCache(store.allowlist);
  const pairing = new PairingService(store);
  const first = pairing.onStranger(PROVIDER, STRANGER_ID, 'Stranger');
  assert(first.kind === 'created', `stranger's first message: ${first.kind}`);
  const anchor = new AnchorStores(root, first.request.code, access.mentionPatterns);

  // Guard against patterns that do not do what the case says.
  assert(
    access.mentionPatterns.length === 10 &&
      access.mentionPatterns.map((p) => p.test(normalizeForMentions(TEXT_LAST_ONLY))).join() ===
        [...Array<boolean>(9).fill(false), true].join(),
    'the "last pattern" text must match only the 10th pattern',
  );
  assert(
    access.mentionPatterns.every((p) => !p.test(normalizeForMentions(TEXT_NONE))),
    'the "none" text must match no pattern',
  );

  const { log, lines } = quietLogger();
  let delivered = 0;
  const gateway = composeGateway({
    db,
    stateDir,
    configPath,
    log,
    sessions: { deliver: () => void delivered++ },
  });
  const core = gateway.inbound;

  // Envelopes, raw (as a provider hands them to the gateway) and parsed (as the pipeline sees them).
  const dmRaws = approvedIds.map((id, i) => dmRaw(id, i));
  const strangerRaw = dmRaw(STRANGER_ID, 0);
  const groupLastRaws = approvedIds.map((id, i) => groupRaw(id, i, TEXT_LAST_ONLY));
  const groupNoneRaws = approvedIds.map((id, i) => groupRaw(id, i, TEXT_NONE));
  const parse = (raw: Record<string, unknown>): Envelope => EnvelopeSchema.parse(raw);
  const dmEnvs = dmRaws.map(parse);
  const strangerEnv = parse(strangerRaw);
  const groupLastEnvs = groupLastRaws.map(parse);
  const groupNoneEnvs = groupNoneRaws.map(parse);

  // As AccessGate.decide does: a fresh context (and onStranger closure) per message.
  const decide = (envelope: Envelope): Verdict =>
    decideInbound({
      envelope,
      access,
      approved,
      onStranger: (provider, senderId, name) => pairing.onStranger(provider, senderId, name),
    });

  const at = (i: number) => i % APPROVED;
  const cases: ThroughputCase[] = [
    {
      title: '(a) allowed DM (approved sender, dmPolicy pairing)',
      ops: [
        op('a-ours', '`decideInbound`', 'ours', { sync: (i) => isDeliver(decide(dmEnvs[at(i)]!)) }),
        op('a-core', CORE, 'core', {
          async: async (i) => isDeliver(await core.handleInbound(dmRaws[at(i)])),
        }),
        op('a-anchor', 'anchor: read + parse allowFrom.json per message', 'anchor', {
          sync: (i) => anchor.allowed(approvedIds[at(i)]!),
        }),
        op('a-anchor-async', '… same with `fs.promises.readFile` (diagnostic)', 'diag', {
          async: (i) => anchor.allowedAsync(approvedIds[at(i)]!),
        }),
      ],
    },
    {
      title: '(b) pending stranger (→ `pairing-pending`, last-seen touched in SQLite)',
      ops: [
        op('b-ours', '`decideInbound`', 'ours', { sync: () => isPending(decide(strangerEnv)) }),
        op('b-core', CORE, 'core', {
          async: async () => isPending(await core.handleInbound(strangerRaw)),
        }),
        op('b-anchor', 'anchor: read + parse allowFrom.json and pairing.json', 'anchor', {
          sync: () =>
            !anchor.allowed(STRANGER_ID) &&
            anchor.pendingRequest(STRANGER_ID, Date.now()).request !== undefined,
        }),
        op(
          'b-anchor-write',
          '… + rewrite pairing.json atomically with the new lastSeenAt',
          'diag',
          { sync: () => anchor.touchPending(STRANGER_ID) },
        ),
        op('b-diag-stranger', '`PairingService.onStranger` alone (diagnostic)', 'diag', {
          sync: () => pairing.onStranger(PROVIDER, STRANGER_ID, null).kind === 'pending',
        }),
      ],
    },
    groupCase(
      'c1',
      '(c1) group message, 10 mention patterns, text matches only the 10th',
      (i) => isDeliver(decide(groupLastEnvs[at(i)]!)),
      async (i) => isDeliver(await core.handleInbound(groupLastRaws[at(i)])),
      (i) => anchor.allowed(approvedIds[at(i)]!) && anchor.mentioned(TEXT_LAST_ONLY),
    ),
    groupCase(
      'c2',
      '(c2) group message, 10 mention patterns, text matches none (→ `not-mentioned`)',
      (i) => isUnmentioned(decide(groupNoneEnvs[at(i)]!)),
      async (i) => isUnmentioned(await core.handleInbound(groupNoneRaws[at(i)])),
      (i) => anchor.allowed(approvedIds[at(i)]!) && !anchor.mentioned(TEXT_NONE),
    ),
    {
      title: 'diagnostics: pieces of the path',
      ops: [
        op('d-envelope', '`EnvelopeSchema.safeParse` of a DM envelope alone', 'diag', {
          sync: (i) => EnvelopeSchema.safeParse(dmRaws[at(i)]).success,
        }),
        op('d-mention', 'mention check alone (normalise + 10 patterns, no match)', 'diag', {
          sync: () => !anchor.mentioned(TEXT_NONE),
        }),
      ],
    },
  ];

  const all = cases.flatMap((c) => c.ops);
  console.log('warm-up and batch sizing …');
  for (const o of all) await calibrateBatch(o, BATCH_MS);
  for (const o of all)
    console.log(`  ${o.key}: ${o.batch.toLocaleString('en-US')} decisions per batch`);
  await timeRounds(all, RUNS, (round) =>
    console.log(
      `round ${round}/${RUNS}: ` +
        all
          .filter((o) => o.kind !== 'diag')
          .map((o) => `${o.key} ${formatCompactRate(o.rates.at(-1)!)}/s`)
          .join(', '),
    ),
  );

  // What the gateway does on each foreign commit before it can send a notice.
  const refreshMs = await timeRepeated(RUNS, 2, () => approved.refresh());

  assert(delivered > 0, 'the inbound pipeline delivered nothing');
  assert(lines() === 0, `the gateway logged ${lines()} lines during the timed path`);
  await gateway.stop();
  db.close();
  return { cases, refreshMs, allowBytes: anchor.allowBytes() };
}
