import { AppError } from '../../src-shared/domain/app-error.js';
import { killSwitchEngagedMessage } from '../../src-shared/domain/kill-switch.js';
import {
  idleGatewayStatus,
  type GatewayExit,
  type GatewayStatus,
} from '../../src-shared/domain/gateway.js';
import {
  KeychainSecretNameSchema,
  type KeychainSecretName,
  type SupervisorToGateway,
} from '../../src-shared/gateway-protocol.js';
import type { GatewayChild } from './gateway-child.js';
import { processIdentity } from '../process/process-identity.js';
import { killProcessTree } from '../process/process-tree.js';
import { systemTimers, type TimerHandle, type Timers } from '../process/timers.js';
import { GATEWAY_MARKER_ENV, gatewayMarker } from '../process/gateway-registry.js';
import { RestartPolicy, defaultRestartPolicy } from './restart-policy.js';
import type { GatewayManagerOptions } from './gateway-manager-options.js';
import { type GatewayReport, routeGatewayMessage } from './gateway-messages.js';
import { recordGatewayStatus, restoredGatewayStatus } from './gateway-record.js';
import { describeExit, formatDelay, KILLED_BY_SWITCH } from './gateway-status-text.js';
import { ForeignGatewayWait } from './foreign-gateway-wait.js';
import { GatewayWatchdog } from './gateway-watchdog.js';

/**
 * Starts, watches and restarts the gateway child. Owns the gateway state machine
 * (starting → running → stopping → stopped, or crashed) and persists every transition, so the
 * CLI and a restarted UI see the truth. Never restarts while the kill switch is engaged.
 */
export class GatewayManager {
  private current: GatewayStatus = { ...idleGatewayStatus };
  private child: GatewayChild | null = null;
  private generation = 0;
  private expectedExit: 'stop' | 'kill-switch' | null = null;
  private restartTimer: TimerHandle | null = null;
  /** Kills a child that stops answering (no `ready`, no heartbeat) and says why. */
  private readonly watchdog: GatewayWatchdog;
  /** A start put off while another gateway of the state directory runs. */
  private readonly foreign: ForeignGatewayWait;
  private exitWaiters: (() => void)[] = [];
  private readonly listeners = new Set<(status: GatewayStatus) => void>();
  private readonly messageListeners = new Set<(message: GatewayReport) => void>();
  private readonly policy: RestartPolicy;
  private readonly now: () => number;
  private readonly timers: Timers;
  private readonly heartbeatTimeoutMs: number;
  private readonly readyTimeoutMs: number;
  private readonly stopGraceMs: number;

  constructor(private readonly options: GatewayManagerOptions) {
    this.policy = new RestartPolicy(options.policy ?? defaultRestartPolicy);
    this.now = options.now ?? Date.now;
    this.timers = options.timers ?? systemTimers;
    // Longer than SQLite's 5 s busy timeout would be ideal, but a hung gateway should go quickly:
    // 6 s (six missed heartbeats) tolerates a briefly contended database.
    this.heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 6000;
    this.readyTimeoutMs = options.readyTimeoutMs ?? 15_000;
    this.stopGraceMs = options.stopGraceMs ?? 3000;
    this.watchdog = new GatewayWatchdog(this.timers, () => this.child?.pid);
    this.foreign = new ForeignGatewayWait({
      stateDir: options.stateDir,
      runtime: options.runtime,
      killSwitch: options.killSwitch,
      timers: this.timers,
      pollMs: options.foreignPollMs ?? 250,
      childPid: () => this.child?.pid,
      update: (patch) => this.update(patch),
      spawn: (restarts) => this.spawn(restarts),
    });
    this.current = restoredGatewayStatus(options.runtime);
  }

  /** The current status. */
  status(): GatewayStatus {
    return this.current;
  }

  /** The pid of the child this manager started, if one is alive. */
  childPid(): number | undefined {
    return this.child?.pid;
  }

  /** Calls `listener` on every status change until `signal` aborts. */
  onChange(listener: (status: GatewayStatus) => void, signal?: AbortSignal): void {
    this.listeners.add(listener);
    signal?.addEventListener('abort', () => this.listeners.delete(listener), { once: true });
  }

  /**
   * Starts the gateway (an owner's explicit start: the crash history is forgotten). Resolves
   * once the child is spawned; the state then moves to `running` on its `ready` message.
   */
  start(): GatewayStatus {
    this.refuseIfEngaged();
    if (this.child || this.foreign.waitingFor()) return this.current;
    this.foreign.refuseIfForeignGateway();
    this.clearRestartTimer();
    this.policy.reset();
    this.spawn(0);
    return this.current;
  }

  /**
   * Starts the gateway as soon as no other gateway of the state directory runs: at once if none
   * does; otherwise (a hung gateway left by a supervisor that died, a foreground one) it waits,
   * for as long as that takes, and says so. Used when the supervisor starts.
   */
  startWhenFree(): GatewayStatus {
    this.refuseIfEngaged();
    if (this.child || this.foreign.waitingFor()) return this.current;
    this.clearRestartTimer();
    this.policy.reset();
    this.foreign.spawnWhenFree(0);
    return this.current;
  }

  /**
   * Looks again whether the gateway a pending start waits for has gone. Runs on a timer; the
   * supervisor also calls it when another process changed the database (a kill from the CLI),
   * so a start does not wait for the next tick.
   */
  recheckPendingStart(): void {
    this.foreign.recheck();
  }

  /** Stops the gateway gracefully: a shutdown message, then SIGKILL of its tree after the grace. */
  async stop(): Promise<GatewayStatus> {
    this.clearRestartTimer();
    const other = this.foreign.waitingFor();
    if (other) {
      // Not ours to stop: the other gateway keeps running (the kill switch kills it).
      this.foreign.cancel();
      this.update({
        state: 'stopped',
        nextRestartAt: null,
        message: `not started; the other gateway (pid ${other.pid}) is still running`,
      });
      return this.current;
    }
    const child = this.child;
    if (!child) {
      if (this.current.state !== 'stopped') this.update({ state: 'stopped', nextRestartAt: null });
      return this.current;
    }
    this.expectedExit = 'stop';
    this.update({ state: 'stopping' });
    const exited = this.waitForExit();
    child.send({ type: 'shutdown', reason: 'stop requested' });
    const grace = this.timers.setTimeout(() => {
      if (this.child === child && child.pid !== undefined) killProcessTree(child.pid);
    }, this.stopGraceMs);
    await exited;
    this.timers.clearTimeout(grace);
    return this.current;
  }

  /** Stops (if running) and starts again. */
  async restart(): Promise<GatewayStatus> {
    await this.stop();
    return this.start();
  }

  /**
   * Called when the kill switch is engaged, before anything is killed: the coming exit is
   * expected and must not be restarted. Returns the child's pid so the switch can kill its tree.
   */
  prepareForKill(): number | undefined {
    this.clearRestartTimer();
    if (this.child) this.expectedExit = 'kill-switch';
    else if (this.current.state === 'starting')
      this.update({ state: 'stopped', nextRestartAt: null });
    return this.child?.pid;
  }

  /** Calls `listener` for what the gateway reports beyond its lifecycle (providers, console). */
  onGatewayReport(listener: (message: GatewayReport) => void): void {
    this.messageListeners.add(listener);
  }

  /** Sends a message to the running gateway; false when none is running. */
  send(message: SupervisorToGateway): boolean {
    if (!this.child || this.current.state !== 'running') return false;
    this.child.send(message);
    return true;
  }

  /**
   * Hands the keychain's secrets (or their absence) to a gateway that is up or starting: `name`
   * alone after it changed, else all. One that has not asked yet gets them in answer to its
   * `keychain-request`.
   */
  sendKeychain(name?: KeychainSecretName): void {
    for (const secret of name ? [name] : KeychainSecretNameSchema.options) {
      this.child?.send({
        type: 'keychain-secret',
        name: secret,
        value: this.options.keychain?.(secret) ?? null,
      });
    }
  }

  /** Resolves when the current child (if any) has exited. */
  waitForExit(): Promise<void> {
    if (!this.child) return Promise.resolve();
    return new Promise((resolve) => this.exitWaiters.push(resolve));
  }

  /** Stops timers; the caller stops the child first. */
  dispose(): void {
    this.clearRestartTimer();
    this.watchdog.clear();
    this.foreign.cancel();
    this.listeners.clear();
  }

  private refuseIfEngaged(): void {
    const killSwitch = this.options.killSwitch.read();
    if (killSwitch.engaged) {
      throw new AppError('KILL_SWITCH_ENGAGED', killSwitchEngagedMessage(killSwitch));
    }
  }

  private spawn(restarts: number): void {
    const generation = ++this.generation;
    this.watchdog.failure = null;
    this.expectedExit = null;
    // The marker lets the kill switch find this gateway (and what it starts) by a scan, even
    // before it has written its lock file and whatever the database says.
    const child = this.options.launch({
      ...this.options.env,
      [GATEWAY_MARKER_ENV]: gatewayMarker(this.options.stateDir),
    });
    this.child = child;
    const startedAt = this.now();
    this.update(
      {
        state: 'starting',
        pid: child.pid ?? null,
        startedAt,
        readyAt: null,
        restarts,
        nextRestartAt: null,
        message: null,
      },
      child.pid === undefined ? null : processIdentity(child.pid),
    );
    this.watchdog.arm(this.readyTimeoutMs, `did not report ready within ${this.readyTimeoutMs} ms`);
    child.onSpawn((pid) => {
      if (generation !== this.generation || this.current.pid === pid) return;
      this.update({ pid }, processIdentity(pid));
    });
    child.onMessage((raw) => {
      if (generation !== this.generation) return;
      routeGatewayMessage(raw, {
        ready: () => {
          // A ready that arrives after a stop began must not revive the state.
          if (this.current.state !== 'starting') return;
          this.update({ state: 'running', readyAt: this.now() });
          this.watchdog.arm(this.heartbeatTimeoutMs, 'stopped responding (no heartbeat)');
        },
        heartbeat: () => {
          if (this.current.state === 'running') {
            this.watchdog.arm(this.heartbeatTimeoutMs, 'stopped responding (no heartbeat)');
          }
        },
        keychainRequest: () => this.sendKeychain(),
        report: (message) => {
          for (const listener of this.messageListeners) listener(message);
        },
      });
    });
    child.onExit((code, signal) => {
      if (generation !== this.generation) return;
      this.onChildExit(startedAt, { code, signal, at: this.now(), stderrTail: child.stderrTail() });
    });
  }

  private onChildExit(startedAt: number, exit: GatewayExit): void {
    this.watchdog.clear();
    this.child = null;
    const expected = this.expectedExit;
    this.expectedExit = null;
    const waiters = this.exitWaiters.splice(0);
    const base = { pid: null, readyAt: null, lastExit: exit, nextRestartAt: null };

    if (expected === 'stop') {
      this.update({ ...base, state: 'stopped', message: null });
    } else if (expected === 'kill-switch' || this.options.killSwitch.read().engaged) {
      this.update({ ...base, ...KILLED_BY_SWITCH });
    } else {
      this.onCrash(exit, startedAt, base);
    }
    for (const resolve of waiters) resolve();
  }

  private onCrash(exit: GatewayExit, startedAt: number, base: Partial<GatewayStatus>): void {
    const how = this.watchdog.failure ?? describeExit(exit);
    const decision = this.policy.onCrash(exit.at, exit.at - startedAt);
    if (decision.kind === 'give-up') {
      this.update({
        ...base,
        state: 'crashed',
        message: `gave up after ${decision.crashesInWindow} crashes within ${Math.round((this.options.policy ?? defaultRestartPolicy).windowMs / 1000)} s; last: ${how}`,
      });
      return;
    }
    const restarts = this.current.restarts + 1;
    const nextRestartAt = exit.at + decision.delayMs;
    this.update({
      ...base,
      state: 'starting',
      nextRestartAt,
      message: `${how}; restarting in ${formatDelay(decision.delayMs)}`,
    });
    this.restartTimer = this.timers.setTimeout(() => {
      this.restartTimer = null;
      if (this.options.killSwitch.read().engaged) {
        this.update(KILLED_BY_SWITCH);
        return;
      }
      this.foreign.spawnWhenFree(restarts);
    }, decision.delayMs);
  }

  private clearRestartTimer(): void {
    if (this.restartTimer) this.timers.clearTimeout(this.restartTimer);
    this.restartTimer = null;
  }

  private update(patch: Partial<GatewayStatus>, identity?: string | null): void {
    this.current = { ...this.current, ...patch };
    recordGatewayStatus(this.options.runtime, this.current, this.child, identity);
    for (const listener of this.listeners) listener(this.current);
  }
}
