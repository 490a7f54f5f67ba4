import { AppError } from '../../src-shared/domain/app-error.js';
import type { GatewayStatus } from '../../src-shared/domain/gateway.js';
import { otherLiveGateway, type FoundGateway } from '../process/gateway-registry.js';
import type { TimerHandle, Timers } from '../process/timers.js';
import type { KillSwitchRepo } from '../store/kill-switch-repo.js';
import type { RuntimeRepo } from '../store/runtime-repo.js';
import { KILLED_BY_SWITCH, waitingMessage } from './gateway-status-text.js';

/** A start put off until another gateway of the state directory has gone. */
interface PendingStart {
  other: FoundGateway;
  restarts: number;
  timer: TimerHandle;
}

/** What the gateway manager's wait for another gateway needs. */
export interface ForeignGatewayWaitOptions {
  stateDir: string;
  runtime: RuntimeRepo;
  killSwitch: KillSwitchRepo;
  timers: Timers;
  /** How often a pending start looks whether the other gateway has gone. */
  pollMs: number;
  /** The pid of the manager's own child, if one is alive: never another gateway. */
  childPid: () => number | undefined;
  /** Changes the manager's status. */
  update: (patch: Partial<GatewayStatus>) => void;
  /** Spawns the manager's child, counting `restarts`. */
  spawn: (restarts: number) => void;
}

/**
 * The gateway manager's side of "one gateway per state directory": a start refused, or put off
 * until the other gateway (a hung one a dead supervisor left, a foreground one) has gone.
 */
export class ForeignGatewayWait {
  private pending: PendingStart | null = null;

  constructor(private readonly options: ForeignGatewayWaitOptions) {}

  /** The gateway a pending start waits for; null when no start waits. */
  waitingFor(): FoundGateway | null {
    return this.pending?.other ?? null;
  }

  /** One gateway at a time: a second would fight the first for the Telegram poll and the WhatsApp link. */
  refuseIfForeignGateway(): void {
    const other = this.otherGateway();
    if (other) {
      throw new AppError(
        'CONFLICT',
        `a gateway is already running outside this supervisor (pid ${other.pid}); stop it first (Ctrl-C where it runs, or the kill switch)`,
      );
    }
  }

  /** Spawns at once when no other gateway runs; otherwise waits for it, and says so. */
  spawnWhenFree(restarts: number): void {
    const other = this.otherGateway();
    if (!other) {
      this.options.spawn(restarts);
      return;
    }
    const timer = this.options.timers.setInterval(() => this.recheck(), this.options.pollMs);
    this.pending = { other, restarts, timer };
    this.options.update({
      state: 'starting',
      pid: null,
      startedAt: null,
      readyAt: null,
      restarts,
      nextRestartAt: null,
      message: waitingMessage(other),
    });
  }

  /** Looks again whether the gateway a pending start waits for has gone (see GatewayManager). */
  recheck(): void {
    const pending = this.pending;
    if (!pending) return;
    const other = this.otherGateway();
    if (other) {
      if (other.pid !== pending.other.pid) {
        pending.other = other;
        this.options.update({ message: waitingMessage(other) });
      }
      return;
    }
    this.cancel();
    if (this.options.killSwitch.read().engaged) {
      this.options.update(KILLED_BY_SWITCH);
      return;
    }
    this.options.spawn(pending.restarts);
  }

  /** Drops a pending start. */
  cancel(): void {
    if (this.pending) this.options.timers.clearInterval(this.pending.timer);
    this.pending = null;
  }

  /** A live gateway of this state directory that is not our child, from the record or a lock file. */
  private otherGateway(): FoundGateway | null {
    return otherLiveGateway(
      this.options.stateDir,
      this.options.runtime.readGateway().process,
      this.options.childPid(),
    );
  }
}
