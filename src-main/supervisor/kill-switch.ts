import type { EngineKill, KillReport, KillSource } from '../../src-shared/domain/kill-switch.js';
import type { KillSwitchRepo } from '../store/kill-switch-repo.js';
import type { ClosingStatus } from '../store/open-tool-calls.js';
import type { ProcessRecord, RuntimeRepo } from '../store/runtime-repo.js';
import { isSameProcess, waitUntilStopped } from '../process/process-identity.js';
import { killProcessTree } from '../process/process-tree.js';
import { findGatewayProcesses } from '../process/gateway-registry.js';
import type { KillEngine } from '../docker/kill-engine.js';
import type { SandboxReach } from '../docker/sandbox-labels.js';
import type { FreezeRoute } from '../docker/freeze-route.js';
import { REMOVING, killSandboxContainers, sweepAfterAttempt } from './sandbox-reaper.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** What the kill switch needs; the CLI and the supervisor pass the same things. */
export interface KillSwitchDeps {
  killSwitch: KillSwitchRepo;
  runtime: RuntimeRepo;
  /** The state directory: its gateways are found by lock file and marker, not only the record. */
  stateDir: string;
  /** May still be connecting: the gateway is killed without waiting for it. */
  docker: KillEngine | Promise<KillEngine>;
  /** The engine in force, for the report; remote engines get longer to answer. */
  engine?: KillEngineRef;
  /**
   * Every other engine this installation made sandboxes on (engine-record.ts): reached in
   * parallel with `docker`, each reported on its own. A client that could not be made is a
   * rejected promise (the engine is then reported as not answering, with why).
   */
  otherEngines?: (KillEngineRef & { docker: KillEngine | Promise<KillEngine> })[];
  /**
   * Whose sandboxes go: this installation's (see installation-id.ts), or every installation's
   * on the engine (`clawdbot kill --all-installations`).
   */
  reach: SandboxReach;
  /** A gateway pid known first-hand (the supervisor's own child), killed even if not yet recorded. */
  knownGatewayPid?: number | undefined;
  /**
   * Called once no sandboxed process runs (every one frozen or dead), before the containers are
   * removed: that moment is already recorded, for whoever shows it. The removal waits for it.
   */
  onStopped?: (stoppedMs: number) => void | Promise<void>;
  /**
   * Closes the tool calls the killed gateway left without a result (see open-tool-calls.ts), once
   * no gateway process runs: `killed` when one was killed, `interrupted` when none was running.
   * Absent: the transcript is left to the gateway's next start, which closes them as
   * `interrupted`.
   */
  closeToolCalls?: (status: ClosingStatus, at: number) => void;
  /** How sandboxes are frozen (default: what `CLAWDBOT_SANDBOX_FREEZE` says, else `auto`). */
  freeze?: FreezeRoute;
  now?: () => number;
}

/** Which engine a kill switch client talks to. */
export interface KillEngineRef {
  endpoint: string;
  /** tcp:// or ssh://: its first answer may take a handshake longer. */
  remote: boolean;
}

/** How long a remote engine may take to list its sandboxes before it counts as not answering. */
const REMOTE_REACH_TIMEOUT_MS = 15_000;

/** How long a kill report waits for SIGKILLed gateway processes to be torn down. */
const GATEWAY_DEATH_TIMEOUT_MS = 2_000;

/**
 * Engages the kill switch: persists `engaged` first (so nothing revives what it kills), then
 * SIGKILLs every gateway's process tree, then freezes every sandbox container of `deps.reach`
 * in parallel (so
 * no sandboxed process can do anything more: the report's `stoppedMs`) and only then removes
 * them all in parallel (`removedMs`).
 * Works without a supervisor and whatever the database says: gateways are found from the record,
 * their lock files and (Linux) the marker in their environment, each verified by its start
 * identity, so a recycled pid is never killed.
 */
export async function engageKillSwitch(
  deps: KillSwitchDeps,
  reason: string,
  source: KillSource,
): Promise<KillReport> {
  const now = deps.now ?? Date.now;
  const started = performance.now();
  const engagedAt = now();
  // Persist first, so nothing revives what we kill — but a failed write (disk full, database
  // locked or corrupt) must not stop the killing: it is reported instead.
  let persistError: string | null = null;
  try {
    deps.killSwitch.engage(reason, source, engagedAt);
  } catch (error) {
    persistError = `the kill switch could not be saved (${describeError(error)}); what was running was killed anyway, but a restart is not blocked`;
  }

  const reachOf = (
    ref: KillEngineRef | undefined,
  ): { endpoint?: string; reachTimeoutMs?: number } => ({
    ...(ref && { endpoint: ref.endpoint }),
    ...(ref?.remote && { reachTimeoutMs: REMOTE_REACH_TIMEOUT_MS }),
  });
  const [gateway, sandboxes, otherEngines] = await Promise.all([
    Promise.resolve().then(async () => {
      const result = killGateway(deps);
      // Recorded at once (not after Docker, which may take long): by then a re-armed, restarted
      // gateway may own the record, and it must not be erased.
      if (result.found) markGatewayKilled(deps.runtime, result.killedRecord, engagedAt);
      // The report says the gateway is dead only once no killed process runs any more.
      const survivors = await waitUntilStopped(result.report.killedPids, GATEWAY_DEATH_TIMEOUT_MS);
      if (survivors.length === 0) {
        closeToolCalls(deps, result.found ? 'killed' : 'interrupted', now());
        return result.report;
      }
      const late = `pid ${survivors.join(', ')} still ran ${GATEWAY_DEATH_TIMEOUT_MS} ms after SIGKILL`;
      return {
        ...result.report,
        error: result.report.error ? `${result.report.error}; ${late}` : late,
      };
    }),
    // Its first Docker request goes out after the gateway kill above (synchronous, queued
    // first); a sandbox whose creation was already in flight is caught by the next listing.
    killSandboxContainers(deps.docker, {
      reach: deps.reach,
      startedAt: started,
      ...(deps.freeze ? { freeze: deps.freeze } : {}),
      ...reachOf(deps.engine),
      onStopped: async (stoppedMs) => {
        if (persistError === null) {
          deps.killSwitch.recordSweep(engagedAt, {
            state: 'may-remain',
            checkedAt: now(),
            error: REMOVING,
            removedLater: 0,
            stoppedAt: Math.round(engagedAt + stoppedMs),
          });
        }
        await deps.onStopped?.(stoppedMs);
      },
    }),
    // The engines used before, all at once: one that hangs delays none of the others.
    Promise.all(
      (deps.otherEngines ?? []).map((other) =>
        killSandboxContainers(other.docker, {
          reach: deps.reach,
          startedAt: started,
          ...(deps.freeze ? { freeze: deps.freeze } : {}),
          ...reachOf(other),
        }),
      ),
    ),
  ]);
  const engines = [sandboxes, ...otherEngines];
  // The report's moments are the last engine's: null until every engine confirmed its own.
  const latest = (pick: (e: EngineKill) => number | null): number | null => {
    const moments = engines.map(pick);
    return moments.some((m) => m === null) ? null : Math.max(...(moments as number[]));
  };

  const report: KillReport = {
    engagedAt,
    reason,
    source,
    gateway,
    sandboxes,
    otherEngines,
    persistError,
    stoppedMs: latest((e) => e.stoppedMs),
    removedMs: latest((e) => e.removedMs),
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
  if (persistError === null) {
    deps.killSwitch.recordReport(report);
    deps.killSwitch.recordSweep(engagedAt, sweepAfterAttempt(sandboxes, engagedAt, now()));
  }
  return report;
}

/**
 * Writes the final state of the calls the dead gateway left open. The kill switch writes it, not
 * the gateway: the gateway is SIGKILLed mid-call and cannot, and only now, with every gateway
 * process gone, can no real result still arrive after it. A failure here (the database locked or
 * broken) costs nothing that matters now: the calls stay open until the gateway's next start
 * closes them as interrupted, and the kill itself goes on.
 */
function closeToolCalls(deps: KillSwitchDeps, status: ClosingStatus, at: number): void {
  try {
    deps.closeToolCalls?.(status, at);
  } catch {
    // See above: the next gateway start closes them.
  }
}

interface GatewayKill {
  found: boolean;
  report: KillReport['gateway'];
  /** The database record of the process killed, if the kill came from it. */
  killedRecord: ProcessRecord | null;
}

function killGateway(deps: KillSwitchDeps): GatewayKill {
  const recorded = deps.runtime.readGateway().process;
  const verified = recorded && isSameProcess(recorded.pid, recorded.identity) ? recorded : null;
  const candidates = new Set<number>();
  if (deps.knownGatewayPid !== undefined) candidates.add(deps.knownGatewayPid);
  if (verified) candidates.add(verified.pid);
  let error: string | null = null;
  try {
    for (const found of findGatewayProcesses(deps.stateDir, { environment: true }))
      candidates.add(found.pid);
  } catch (failure) {
    error = `looking for gateways outside the record failed: ${describeError(failure)}`;
  }
  const pids = [...candidates];
  const pid = pids[0] ?? recorded?.pid ?? null;
  if (pids.length === 0) {
    return {
      found: false,
      killedRecord: null,
      report: { found: false, pid, pids, killedPids: [], error },
    };
  }
  const killed = new Set<number>();
  try {
    // A marked process may sit inside a tree already killed: each is killed once.
    for (const candidate of pids)
      if (!killed.has(candidate)) for (const p of killProcessTree(candidate)) killed.add(p);
  } catch (failure) {
    error = describeError(failure);
  }
  return {
    found: true,
    killedRecord: verified,
    report: { found: true, pid, pids, killedPids: [...killed], error },
  };
}

/**
 * Records the kill, so `clawdbot status` is right even when no supervisor saw the exit — only
 * if the record still names the process we killed.
 */
function markGatewayKilled(runtime: RuntimeRepo, killed: ProcessRecord | null, at: number): void {
  if (!killed) return;
  const { status } = runtime.readGateway();
  runtime.writeGatewayIf(
    killed,
    {
      ...status,
      state: 'stopped',
      pid: null,
      nextRestartAt: null,
      lastExit: {
        code: null,
        signal: 'SIGKILL',
        at,
        stderrTail: status.lastExit?.stderrTail ?? '',
      },
      message: 'killed by the kill switch',
    },
    null,
  );
}
