import type { Database } from 'better-sqlite3';
import type { ActivityHour } from '../../src-shared/domain/activity.js';
import type { GatewayStatus } from '../../src-shared/domain/gateway.js';
import type {
  KillHistoryEntry,
  KillReport,
  KillSource,
  KillSwitchState,
} from '../../src-shared/domain/kill-switch.js';
import type { StatusSnapshot } from '../../src-shared/ipc/contract.js';
import type { LogStatus } from '../../src-shared/domain/log-status.js';
import { openUnclaimedStateDir } from './supervisor-claim.js';
import { processIdentity } from '../process/process-identity.js';
import { createActivityRepo } from '../store/activity-repo.js';
import { createKillSwitchRepo, type KillSwitchRepo } from '../store/kill-switch-repo.js';
import { createRuntimeRepo, type RuntimeRepo } from '../store/runtime-repo.js';
import { databaseChanges } from '../store/database-changes.js';
import { watchDatabase } from './database-watch.js';
import type { SupervisorOptions } from './supervisor-options.js';
import { EventHub } from './event-hub.js';
import { AccessAdmin } from './access-admin.js';
import { GatewayRelay } from './gateway-relay.js';
import { SessionsAdmin } from './sessions-admin.js';
import { IncidentAdmin } from './incident-admin.js';
import { ModelAdmin } from './model-admin.js';
import { KeychainSlot } from './keychain-store.js';
import { LogReader } from '../logs/log-reader.js';
import { logDestinationFor } from '../logs/log-source.js';
import { logStatusOf } from '../logging/log-destination.js';
import { ConfigService, configStatusOf } from '../config/config-service.js';
import { ConfigAdmin } from './config-admin.js';
import { SetupAdmin } from './setup-admin.js';
import { createLastGoodConfigRepo } from '../store/config-repo.js';
import { GatewayManager } from './gateway-manager.js';
import { KillSwitchControl } from './kill-switch-control.js';
import { SandboxDocker } from './sandbox-docker.js';
import { UsageAdmin } from './usage-admin.js';
import { EngineHealthMonitor } from './engine-health-monitor.js';
import { ApprovalsAdmin } from './approvals-admin.js';
import { envClock } from '../process/env-clock.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { resolveConfigPath } from '../state-layout.js';
import type { Logger } from '../logging/logger.js';

/**
 * The supervisor core: owns the gateway manager and the kill switch, and publishes every change
 * as a contract event. It imports nothing from Electron, so the desktop app and headless web mode
 * run the same code.
 */
export class Supervisor {
  readonly events = new EventHub();
  readonly manager: GatewayManager;
  readonly access: AccessAdmin;
  readonly relay: GatewayRelay;
  readonly sessions: SessionsAdmin;
  readonly model: ModelAdmin;
  /** The log viewer's reader: indexes and searches the day-by-day log files. */
  readonly logs: LogReader;
  /** The incident response page: the kill, its sessions and log, secrets, security prompt. */
  readonly incident: IncidentAdmin;
  /** Today's model use against the limits. */
  readonly usage: UsageAdmin;
  readonly approvals: ApprovalsAdmin;
  private readonly killSwitch: KillSwitchRepo;
  private readonly runtime: RuntimeRepo;
  /** Where the logs go now (looked up on each snapshot: a `logging.file` edit applies at once). */
  private readonly logStatus: () => LogStatus;
  /** The Docker client for the sandbox engine in force, and how far the kill switch reaches. */
  private readonly sandboxes: SandboxDocker;
  /** The sandbox engine's health, as the status snapshot shows it. */
  private readonly engineHealth: EngineHealthMonitor;
  /** Engaging and re-arming the kill switch, its sweep and its history. */
  private readonly killSwitchControl: KillSwitchControl;
  private closed = false;
  /** The config in force, its health and the last good one; published as `config:changed`. */
  readonly config: ConfigService;
  /** Reads, validates and saves the config file for Settings and the setup flow. */
  readonly configAdmin: ConfigAdmin;
  /** The first-run setup: its progress, the owner code and the Telegram token. */
  readonly setup: SetupAdmin;
  private readonly ownsConfig: boolean;
  private readonly log: Logger;
  /** Ends every subscription this supervisor holds (database changes, config changes). */
  private readonly closing = new AbortController();

  private constructor(
    private readonly db: Database,
    options: SupervisorOptions,
    config: { service: ConfigService; owned: boolean },
  ) {
    this.log = options.log;
    this.killSwitch = createKillSwitchRepo(db);
    this.runtime = createRuntimeRepo(db);
    this.engineHealth = new EngineHealthMonitor({
      stateDir: options.stateDir,
      sandbox: () => this.config.current().config.agent.sandbox,
      events: this.events,
    });
    this.sandboxes = new SandboxDocker({
      stateDir: options.stateDir,
      engine: () => this.config.current().config.agent.sandbox.engine,
      docker: options.docker,
      log: this.log,
    });
    const gatewayEnv = { ...(options.env ?? process.env), CLAWDBOT_STATE_DIR: options.stateDir };
    const env = options.env ?? process.env;
    this.ownsConfig = config.owned;
    this.config = config.service;
    // Resolved once, by whoever made the config service: every part reads the same file.
    const configPath = this.config.current().path;
    this.configAdmin = new ConfigAdmin(this.config);
    this.setup = new SetupAdmin(
      db,
      options.stateDir,
      this.config,
      this.configAdmin,
      gatewayEnv,
      new KeychainSlot(
        options.telegramTokenStore ?? null,
        'keeping the token in the keychain needs the desktop app',
        () => this.manager.sendKeychain('telegram-token'),
      ),
    );
    this.config.onChange(
      (state) => this.events.emit('config:changed', configStatusOf(state)),
      this.closing.signal,
    );
    // The keychain's key goes to the gateway over its IPC channel, at start and on every change.
    this.model = new ModelAdmin(
      () => this.config.current().config,
      gatewayEnv,
      options.modelKeyStore ?? null,
      () => this.manager.sendKeychain('model-key'),
    );
    this.manager = new GatewayManager({
      launch: options.launch,
      stateDir: options.stateDir,
      runtime: this.runtime,
      killSwitch: this.killSwitch,
      env: gatewayEnv,
      keychain: (name) =>
        name === 'model-key' ? this.model.keychainKey() : this.setup.keychainToken(),
      policy: options.policy,
      heartbeatTimeoutMs: options.heartbeatTimeoutMs,
      readyTimeoutMs: options.readyTimeoutMs,
      stopGraceMs: options.stopGraceMs,
      timers: options.timers,
    });
    this.access = new AccessAdmin(
      db,
      options.stateDir,
      this.config,
      this.events,
      this.log.child('access'),
    );
    this.relay = new GatewayRelay(this.manager, this.events);
    // The pattern is resolved on each call: a `logging.file` edit applies without a restart, and
    // a rejected file keeps the logs where the config in force (the last good one) sends them.
    this.logs = new LogReader(() =>
      Promise.resolve(
        logDestinationFor(env, options.stateDir, this.config.current().config).pattern,
      ),
    );
    this.logStatus = () =>
      logStatusOf(logDestinationFor(env, options.stateDir, this.config.current().config));
    this.sessions = new SessionsAdmin(
      db,
      options.stateDir,
      () => this.config.current().config,
      this.events,
      () => this.sandboxes.client(),
    );
    this.incident = new IncidentAdmin({
      db,
      stateDir: options.stateDir,
      configPath,
      env: gatewayEnv,
      logs: this.logs,
      killSwitch: () => this.killSwitch.read(),
      model: () => this.model.status(),
    });
    // The limits shown are the config in force's: while the file is invalid, the last good one.
    this.usage = new UsageAdmin(
      db,
      () => this.config.current().config,
      this.events,
      envClock(env),
      this.log,
    );
    this.config.onChange(() => this.usage.publish(), this.closing.signal);
    this.approvals = new ApprovalsAdmin(
      db,
      () => this.config.current().config,
      configPath,
      this.events,
      Date.now,
      this.log.child('approvals'),
    );
    this.config.onChange(() => this.approvals.publish(), this.closing.signal);
    // The gateway wrote to a transcript: look now rather than at the next poll.
    this.manager.onGatewayReport((report) => {
      if (report.type === 'sessions-changed') databaseChanges(db).check();
    });
    this.manager.onChange((status) => {
      this.events.emit('gateway:changed', status);
      // Once the gateway is up, get the Docker client ready so the first kill does not wait for it.
      if (status.state === 'running') void this.sandboxes.client();
    });
    this.killSwitchControl = new KillSwitchControl({
      db,
      killSwitch: this.killSwitch,
      runtime: this.runtime,
      stateDir: options.stateDir,
      manager: this.manager,
      sandboxes: this.sandboxes,
      events: this.events,
      log: this.log,
      closed: () => this.closed,
    });
  }

  /**
   * Opens the state directory and claims it: only one supervisor may own a gateway, so a second
   * one is refused while the first is alive.
   */
  static open(options: SupervisorOptions): Supervisor {
    const db = openUnclaimedStateDir(options.stateDir);
    const config = options.config
      ? { service: options.config, owned: false }
      : {
          service: new ConfigService(
            resolveConfigPath(options.stateDir, options.env ?? process.env),
            { store: createLastGoodConfigRepo(db) },
          ).start(),
          owned: true,
        };
    const supervisor = new Supervisor(db, options, config);
    supervisor.setControlSocket(null);
    watchDatabase(
      db,
      {
        signal: supervisor.closing.signal,
        intervalMs: options.watchIntervalMs ?? 250,
        log: supervisor.log,
      },
      {
        killSwitch: supervisor.killSwitchControl,
        access: supervisor.access,
        sessions: supervisor.sessions,
        usage: supervisor.usage,
        approvals: supervisor.approvals,
      },
    );
    // Engaged before we started (a reboot, a crashed supervisor): finish removing the sandboxes.
    supervisor.killSwitchControl.ensureSweeping();
    return supervisor;
  }

  /** Records where the CLI can reach this supervisor. */
  setControlSocket(socketPath: string | null): void {
    this.runtime.writeSupervisor({
      pid: process.pid,
      identity: processIdentity(process.pid),
      socketPath,
    });
  }

  /**
   * Starts the gateway at supervisor start-up unless the kill switch is engaged (then it stays
   * stopped, and says why). A gateway left by a previous supervisor usually exits once it notices
   * its parent is gone; one that is hung does not, so the start waits for it — however long —
   * while the record and its lock file keep it in reach of the kill switch.
   */
  async startIfArmed(): Promise<GatewayStatus> {
    if (this.closed || this.killSwitch.read().engaged) return this.manager.status();
    return Promise.resolve(this.manager.startWhenFree());
  }

  snapshot(): StatusSnapshot {
    let usage;
    try {
      usage = this.usage.report();
    } catch (error) {
      // The kill switch and the gateway's state must show even when the counts cannot be read.
      this.log.error("reading today's usage failed", { error: describeError(error) });
    }
    this.engineHealth.refresh();
    const sandboxEngine = this.engineHealth.health();
    return {
      gateway: this.manager.status(),
      killSwitch: this.killSwitch.read(),
      config: this.config.status(),
      logging: this.logStatus(),
      ...(usage && { usage }),
      ...(sandboxEngine && { sandboxEngine }),
    };
  }

  startGateway(): GatewayStatus {
    this.killSwitchControl.refuseIfKilledUnsaved();
    return this.manager.start();
  }

  stopGateway(): Promise<GatewayStatus> {
    return this.manager.stop();
  }

  restartGateway(): Promise<GatewayStatus> {
    this.killSwitchControl.refuseIfKilledUnsaved();
    if (this.killSwitch.read().engaged) return Promise.resolve(this.manager.start());
    return this.manager.restart();
  }

  /** Engages the kill switch from the UI or the tray. */
  engageKillSwitch(reason: string, source: KillSource): Promise<KillReport> {
    return this.killSwitchControl.engage(reason, source);
  }

  /** Messages, tool calls and blocked attempts per hour over the last 24 hours. */
  activity(): ActivityHour[] {
    return createActivityRepo(this.db).lastDay(Date.now());
  }

  /** The last 100 kills, newest first, each with its report (kept after re-arming). */
  killHistory(): KillHistoryEntry[] {
    return this.killSwitchControl.history();
  }

  /** Disengages the kill switch. The gateway stays stopped until someone starts it. */
  rearm(): KillSwitchState {
    return this.killSwitchControl.rearm();
  }

  /** Stops the gateway gracefully and releases the state directory. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.engineHealth.close();
    this.closing.abort();
    this.killSwitchControl.stopSweeping();
    this.access.close();
    if (this.ownsConfig) this.config.stop();
    this.usage.close();
    await this.manager.stop();
    this.manager.dispose();
    this.runtime.writeSupervisor(null);
    this.db.close();
  }
}
