import type { Database } from 'better-sqlite3';
import { AppError } from '../../src-shared/domain/app-error.js';
import type {
  KillHistoryEntry,
  KillReport,
  KillSource,
  KillSwitchState,
} from '../../src-shared/domain/kill-switch.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import type { Logger } from '../logging/logger.js';
import { killProcessTree } from '../process/process-tree.js';
import type { KillSwitchRepo } from '../store/kill-switch-repo.js';
import { closeOpenToolCalls } from '../store/open-tool-calls.js';
import type { RuntimeRepo } from '../store/runtime-repo.js';
import type { EventHub } from './event-hub.js';
import type { GatewayManager } from './gateway-manager.js';
import { engageKillSwitch } from './kill-switch.js';
import { sweepSandboxContainers } from './sandbox-reaper.js';
import type { SandboxDocker } from './sandbox-docker.js';

/** How many past kills the dashboard's history lists. */
const KILL_HISTORY_SHOWN = 100;

/** What the supervisor's side of the kill switch needs. */
export interface KillSwitchControlOptions {
  db: Database;
  killSwitch: KillSwitchRepo;
  runtime: RuntimeRepo;
  stateDir: string;
  manager: GatewayManager;
  sandboxes: SandboxDocker;
  events: EventHub;
  log: Logger;
  /** Whether the supervisor has closed: then nothing more is swept or published. */
  closed: () => boolean;
}

/**
 * The supervisor's side of the kill switch: engaging and re-arming it, its history, the sandbox
 * sweep that follows an engagement, reacting to a kill from another process, and publishing
 * every change as `killswitch:changed`.
 */
export class KillSwitchControl {
  private lastKillSwitch: string;
  private unsavedKill: string | null = null;
  /** The sandbox sweep running for one engagement, while containers may remain. */
  private sweeping: { engagedAt: number; abort: AbortController } | null = null;

  constructor(private readonly options: KillSwitchControlOptions) {
    this.lastKillSwitch = JSON.stringify(options.killSwitch.read());
  }

  /** A kill whose engaged state could not be saved still blocks starts until re-armed here. */
  refuseIfKilledUnsaved(): void {
    if (this.unsavedKill) {
      throw new AppError(
        'KILL_SWITCH_ENGAGED',
        `the kill switch was pulled but could not be saved (${this.unsavedKill}); re-arm before starting the gateway`,
      );
    }
  }

  /** Engages the kill switch from the UI or the tray. */
  async engage(reason: string, source: KillSource): Promise<KillReport> {
    const { options } = this;
    const knownGatewayPid = options.manager.prepareForKill();
    const report = await engageKillSwitch(
      {
        killSwitch: options.killSwitch,
        runtime: options.runtime,
        stateDir: options.stateDir,
        docker: options.sandboxes.client(),
        reach: options.sandboxes.reach(),
        ...options.sandboxes.killEngines(),
        knownGatewayPid,
        closeToolCalls: (status, at) => closeOpenToolCalls(options.db, status, at),
        // The owner sees at once that nothing sandboxed runs any more, while removal goes on.
        onStopped: () => this.publish(),
      },
      reason,
      source,
    );
    if (report.persistError) this.unsavedKill = report.persistError;
    this.publish();
    this.ensureSweeping();
    return report;
  }

  /** The last 100 kills, newest first, each with its report (kept after re-arming). */
  history(): KillHistoryEntry[] {
    return this.options.killSwitch.history(KILL_HISTORY_SHOWN);
  }

  /** Disengages the kill switch. The gateway stays stopped until someone starts it. */
  rearm(): KillSwitchState {
    this.unsavedKill = null;
    const state = this.options.killSwitch.rearm(Date.now());
    this.ensureSweeping(state);
    this.publish();
    return state;
  }

  /**
   * While the switch is engaged and sandboxes may remain (the engine did not answer, a removal
   * failed), keeps removing this installation's sandbox containers — with bounded backoff, for as
   * long as it takes — until the engine lists none. One sweep per engagement; re-arming stops it, and a new
   * engagement (here or from the CLI) starts a new one.
   */
  ensureSweeping(state: KillSwitchState = this.options.killSwitch.read()): void {
    if (this.options.closed() || !state.engaged || state.engagedAt === null) {
      this.stopSweeping();
      return;
    }
    if (state.sweep?.state === 'clear' || this.sweeping?.engagedAt === state.engagedAt) return;
    this.stopSweeping();
    const engagedAt = state.engagedAt;
    const run = { engagedAt, abort: new AbortController() };
    this.sweeping = run;
    void sweepSandboxContainers(this.options.sandboxes.client(), {
      reach: this.options.sandboxes.reach(),
      signal: run.abort.signal,
      onProgress: (sweep) => {
        if (this.options.closed()) return;
        try {
          this.options.killSwitch.recordSweep(engagedAt, sweep);
          this.publish();
        } catch (error) {
          this.options.log.error('recording the sandbox sweep failed', {
            error: describeError(error),
          });
        }
      },
    }).finally(() => {
      if (this.sweeping === run) this.sweeping = null;
    });
  }

  stopSweeping(): void {
    this.sweeping?.abort.abort();
    this.sweeping = null;
  }

  /** Acts on a change another process (the CLI) made to the database. */
  onOthersChanged(): void {
    const state = this.options.killSwitch.read();
    if (state.engaged) {
      // The CLI already killed what it found; make sure our own child is gone too.
      const pid = this.options.manager.prepareForKill();
      if (pid !== undefined) killProcessTree(pid);
    }
    // A kill from the CLI may have ended the gateway a pending start waits for.
    this.options.manager.recheckPendingStart();
    this.ensureSweeping(state);
    this.publish(state);
  }

  private publish(state: KillSwitchState = this.options.killSwitch.read()): void {
    const serialised = JSON.stringify(state);
    if (serialised === this.lastKillSwitch) return;
    this.lastKillSwitch = serialised;
    this.options.events.emit('killswitch:changed', state);
  }
}
