/**
 * 2) Approve → notify latency: another process approves a pending pairing request with notify;
 * timed from its commit until a started gateway asks its channel to send the notice, beside
 * a raw `data_version` probe on the gateway's own interval and tick.
 */
import BetterSqlite3 from 'better-sqlite3';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { APPROVED_TEXT } from '../../src-shared/domain/access.js';
import { databasePath } from '../../src-main/state-layout.js';
import { composeGateway } from '../../src-main/gateway/gateway-composition.js';
import type { OutboundChannel } from '../../src-main/gateway/outbound/outbound-channel.js';
import { formatMs } from '../lib/format.js';
import { afterWarmUp } from '../lib/timing.js';
import {
  APPROVER_FLAG,
  PING_FLAG,
  cliApproveAvailable,
  cliBin,
  runBenchChild,
  runChild,
  type ChildResult,
} from './children.js';
import { LATENCY_RUNS, assert, freshRoot, quietLogger } from './context.js';
import { PROVIDER, createState, dmRaw } from './fixtures.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** the gateway's default `watchIntervalMs` (run-gateway.ts does not override it). */
export const GATEWAY_POLL_MS = 250;
const NOTICE_TIMEOUT_MS = 10_000;

/** One approval's timings, in ms; null where the event was not seen. */
export interface NotifySample {
  /** Whether the approval queued a notice at all (an outbox row for the sender). */
  queued: boolean;
  /** From the approver's own commit stamp (child printed Date.now() right after approve()). */
  commitToSendMs: number | null;
  /** From the approval's audit row `at` (taken inside the transaction, just before commit). */
  auditToSendMs: number | null;
  /** From the approving process's exit, as a parent would see it. */
  exitToSendMs: number | null;
  spawnToSendMs: number | null;
  /**
   * Baseline, paired: the approval's audit `at` → the phase-locked raw `data_version` probe
   * (same interval, same timer tick, run just before the gateway's watcher) saw it.
   */
  commitToProbeMs: number | null;
  /** What the gateway adds once its poll has fired: probe saw the commit → notice sent. */
  probeToSendMs: number | null;
  /** The approved sender's next message was delivered (the gateway's cache saw the approval). */
  deliveredAfter: boolean;
}

/** The timed approvals of every approver, and the visibility probe. */
export interface LatencyResult {
  approver: NotifySample[];
  cli: NotifySample[] | null;
  /** Why the CLI runs stopped early, if they did. */
  cliError: string | null;
  /** Commit → seen by a raw 1 ms `data_version` poll (scratch database): visibility itself. */
  poll1: number[];
}

/** A fake Telegram channel that records when it is asked to send the "access approved" notice. */
class NoticeChannel implements OutboundChannel {
  readonly provider = PROVIDER;
  private readonly waiters = new Map<string, (at: number) => void>();

  send(chatId: string, text: string): Promise<void> {
    const at = Date.now();
    if (text === APPROVED_TEXT) this.waiters.get(chatId)?.(at);
    return Promise.resolve();
  }

  /** Resolves with the time the notice to `chatId` was sent, or null after the timeout. */
  waitFor(chatId: string): { sent: Promise<number | null>; cancel: () => void } {
    let cancel = (): void => undefined;
    const sent = new Promise<number | null>((resolve) => {
      const timer = setTimeout(() => cancel(), NOTICE_TIMEOUT_MS);
      cancel = () => {
        clearTimeout(timer);
        this.waiters.delete(chatId);
        resolve(null);
      };
      this.waiters.set(chatId, (at) => {
        clearTimeout(timer);
        this.waiters.delete(chatId);
        resolve(at);
      });
    });
    return { sent, cancel };
  }
}

/**
 * The paired baseline: a raw `data_version` poll of `dbFile` on a connection of its own, at
 * the gateway's interval. Must be created in the same synchronous block as, and just before,
 * the gateway's watcher: Node then fires both from one timer list on the same tick, the probe
 * first, so it sees a commit at the very tick the gateway does, before the gateway's work.
 */
function startProbe(dbFile: string): { changes: number[]; stop: () => void } {
  const probeDb = new BetterSqlite3(dbFile);
  let version = probeDb.pragma('data_version', { simple: true }) as number;
  const changes: number[] = [];
  const timer = setInterval(() => {
    const now = probeDb.pragma('data_version', { simple: true }) as number;
    if (now === version) return;
    version = now;
    changes.push(Date.now());
  }, GATEWAY_POLL_MS);
  return {
    changes,
    stop: () => {
      clearInterval(timer);
      probeDb.close();
    },
  };
}

/**
 * Visibility itself: a second process commits a row to a scratch database that this process
 * polls every `intervalMs`, so the gateway's watcher never sees these commits.
 */
function visibilityProbe(root: string): {
  run: (intervalMs: number) => Promise<number>;
  close: () => void;
} {
  const pingFile = join(root, 'ping.db');
  const pingDb = new BetterSqlite3(pingFile);
  pingDb.pragma('journal_mode = WAL');
  pingDb.pragma('synchronous = NORMAL');
  pingDb.exec('CREATE TABLE ping (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)');
  const run = async (intervalMs: number): Promise<number> => {
    let last = pingDb.pragma('data_version', { simple: true }) as number;
    let seenAt = 0;
    const seen = new Promise<void>((resolve) => {
      const timer = setInterval(() => {
        const version = pingDb.pragma('data_version', { simple: true }) as number;
        if (version === last) return;
        last = version;
        seenAt = Date.now();
        clearInterval(timer);
        resolve();
      }, intervalMs);
    });
    const child = await runBenchChild(PING_FLAG, [pingFile]);
    await seen;
    assert(child.committedAt !== null, 'ping child printed no commit time');
    return seenAt - child.committedAt;
  };
  return { run, close: () => pingDb.close() };
}

/** Measures LATENCY_RUNS approvals per approver (after a warm-up), interleaved. */
export async function measureLatency(): Promise<LatencyResult> {
  const root = freshRoot();
  const { db, stateDir, configPath } = createState(root);
  const { log } = quietLogger();
  const channel = new NoticeChannel();
  const probe = startProbe(databasePath(stateDir));
  const gateway = composeGateway({
    db,
    stateDir,
    configPath,
    log,
    sessions: { deliver: () => undefined },
  });
  await gateway.start();
  gateway.outbound.registerChannel(channel);
  const core = gateway.inbound;
  const auditAt = db.prepare<[string], { at: number }>(
    "SELECT at FROM access_audit WHERE action = 'pairing-approved' AND subject_id = ? ORDER BY id DESC LIMIT 1",
  );
  const outboxRow = db.prepare<[string], { one: number }>(
    'SELECT 1 AS one FROM outbox WHERE recipient_id = ?',
  );

  const viaChild = (code: string) => runBenchChild(APPROVER_FLAG, [stateDir, code]);
  const viaCli = (code: string) =>
    runChild(
      process.execPath,
      [cliBin, 'pairing', 'approve', '--provider', PROVIDER, code, '--notify'],
      { ...process.env, CLAWDBOT_STATE_DIR: stateDir },
    );
  let strangerSeq = 0;
  const approveRun = async (
    approve: (code: string) => Promise<ChildResult>,
  ): Promise<NotifySample> => {
    const sender = String(777_000_000 + strangerSeq++);
    const verdict = await core.handleInbound(dmRaw(sender, strangerSeq));
    assert(verdict?.action === 'pairing-reply', `stranger ${sender}: ${verdict?.action}`);
    // Let the pairing reply's own work settle, so the approval starts from an idle gateway.
    await sleep(20);
    const notice = channel.waitFor(sender);
    let child: ChildResult;
    for (let attempt = 1; ; attempt++) {
      try {
        child = await approve(verdict.code);
        break;
      } catch (error) {
        // The built CLI can vanish for a moment while someone rebuilds out/: retry a few times,
        // unless the approval did commit before the failure.
        if (auditAt.get(sender)) {
          child = { spawnedAt: NaN, exitedAt: Date.now(), committedAt: null, stdout: '' };
          break;
        }
        if (attempt >= 5) {
          notice.cancel();
          await viaChild(verdict.code); // do not leave the request pending (3 per provider)
          throw error;
        }
        console.warn(
          `approver failed (attempt ${attempt}), retrying in 3 s: ${describeError(error)}`,
        );
        await sleep(3000);
      }
    }
    const audited = auditAt.get(sender);
    assert(audited, `no approval audit row for ${sender}: ${child.stdout.trim()}`);
    // An approval that queued no notice will never be sent one: do not wait for it.
    const queued = outboxRow.get(sender) !== undefined;
    if (!queued) notice.cancel();
    const sentAt = await notice.sent;
    if (queued && sentAt === null)
      console.warn(`no notice to ${sender} within ${NOTICE_TIMEOUT_MS} ms`);
    // The gateway refreshes its cache on the same poll that sends the notice.
    if (sentAt === null) await sleep(2 * GATEWAY_POLL_MS);
    const after = await core.handleInbound(dmRaw(sender, strangerSeq));
    const since = (from: number | null) =>
      sentAt === null || from === null ? null : sentAt - from;
    // The audit row's `at` is taken inside the transaction: never after the commit, unlike a
    // stamp the approver prints afterwards (a busy machine can delay that by many ms).
    const commitAt = audited.at;
    const probeAt = probe.changes.find((t) => t >= commitAt) ?? null;
    return {
      queued,
      commitToSendMs: since(child.committedAt),
      auditToSendMs: since(audited.at),
      exitToSendMs: since(child.exitedAt),
      spawnToSendMs: since(child.spawnedAt),
      commitToProbeMs: probeAt === null ? null : probeAt - commitAt,
      probeToSendMs: since(probeAt),
      deliveredAfter: after?.action === 'deliver',
    };
  };

  const useCli = cliApproveAvailable();
  console.log(
    useCli
      ? 'approver: the built CLI (`node bin/clawdbot.js pairing approve … --notify`) and a tsx child calling PairingService.approve'
      : 'approver: a tsx child calling PairingService.approve (the built CLI has no `pairing approve --notify` yet)',
  );
  const visibility = visibilityProbe(root);
  let cliError: string | null = null;
  const note = (sample: NotifySample, from: 'commitToSendMs' | 'auditToSendMs'): string =>
    !sample.queued
      ? 'no notice queued'
      : `${formatMs(sample[from])} ms (raw probe saw it after ${formatMs(sample.commitToProbeMs)}, ` +
        `then the gateway took ${formatMs(sample.probeToSendMs)}; exit → send ${formatMs(sample.exitToSendMs)})`;
  const runs = await afterWarmUp(LATENCY_RUNS, async (run, label) => {
    const a = await approveRun(viaChild);
    let c: NotifySample | null = null;
    if (useCli && cliError === null) {
      try {
        c = await approveRun(viaCli);
      } catch (error) {
        cliError = `run ${run}: ${describeError(error)}`;
        console.warn(`CLI approver gave up: ${cliError}`);
      }
    }
    const p1 = await visibility.run(1);
    console.log(
      `latency ${label}: child approver commit → send ${note(a, 'commitToSendMs')}` +
        (c ? ` | CLI audit at → send ${note(c, 'auditToSendMs')}` : '') +
        ` | raw 1 ms poll: ${formatMs(p1)} ms`,
    );
    return { approver: a, cli: c, poll1: p1 };
  });
  probe.stop();
  visibility.close();
  await gateway.stop();
  db.close();
  const cli = useCli ? runs.cli.filter((c): c is NotifySample => c !== null) : null;
  return { approver: runs.approver, cli, cliError, poll1: runs.poll1 };
}
