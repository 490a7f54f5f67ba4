import type Docker from 'dockerode';
import type { KillReport, KillSource } from '../../src-shared/domain/kill-switch.js';
import type { KillSwitchRepo } from '../store/kill-switch-repo.js';
import type { RuntimeRepo } from '../store/runtime-repo.js';
import { isSameProcess } from '../process/process-identity.js';
import { killProcessTree } from '../process/process-tree.js';
import { killSandboxContainers } from './sandbox-reaper.js';

/** What the kill switch needs; the CLI and the supervisor pass the same things. */
export interface KillSwitchDeps {
  killSwitch: KillSwitchRepo;
  runtime: RuntimeRepo;
  /** May still be connecting: the gateway is killed without waiting for it. */
  docker: Docker | Promise<Docker>;
  /** A gateway pid known first-hand (the supervisor's own child), killed even if not yet recorded. */
  knownGatewayPid?: number | undefined;
  now?: () => number;
}

/**
 * Engages the kill switch: persists `engaged` first (so nothing revives what it kills), then
 * SIGKILLs the gateway's process tree and force-removes every sandbox container, in parallel.
 * Works without a supervisor: the gateway is found from the database and verified by its start
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
  deps.killSwitch.engage(reason, source, engagedAt);

  const [gateway, sandboxes] = await Promise.all([
    Promise.resolve().then(() => killGateway(deps)),
    killSandboxContainers(deps.docker),
  ]);

  const report: KillReport = {
    engagedAt,
    reason,
    source,
    gateway,
    sandboxes,
    durationMs: Math.round((performance.now() - started) * 10) / 10,
  };
  deps.killSwitch.recordReport(report);
  if (gateway.found) markGatewayKilled(deps.runtime, engagedAt);
  return report;
}

function killGateway(deps: KillSwitchDeps): KillReport['gateway'] {
  const recorded = deps.runtime.readGateway().process;
  const candidates = new Set<number>();
  if (deps.knownGatewayPid !== undefined) candidates.add(deps.knownGatewayPid);
  if (recorded && isSameProcess(recorded.pid, recorded.identity)) candidates.add(recorded.pid);
  if (candidates.size === 0) {
    return { found: false, pid: recorded?.pid ?? null, killedPids: [], error: null };
  }
  const killedPids: number[] = [];
  try {
    for (const pid of candidates) killedPids.push(...killProcessTree(pid));
  } catch (error) {
    return {
      found: true,
      pid: [...candidates][0] ?? null,
      killedPids,
      error: error instanceof Error ? error.message : String(error),
    };
  }
  return { found: true, pid: [...candidates][0] ?? null, killedPids, error: null };
}

/** Records the kill, so `clawdbot status` is right even when no supervisor saw the exit. */
function markGatewayKilled(runtime: RuntimeRepo, at: number): void {
  const { status } = runtime.readGateway();
  runtime.writeGateway(
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
