import {
  SupervisorToGatewaySchema,
  HEARTBEAT_INTERVAL_MS,
  type KeychainSecretName,
} from '../../src-shared/gateway-protocol.js';
import { idleGatewayStatus } from '../../src-shared/domain/gateway.js';
import { openDatabase } from '../store/open-database.js';
import { createKillSwitchRepo } from '../store/kill-switch-repo.js';
import { createRuntimeRepo } from '../store/runtime-repo.js';
import { watchDataVersion } from '../store/data-version-watch.js';
import { isSameProcess, processIdentity } from '../process/process-identity.js';
import { otherLiveGateway, registerGatewayProcess } from '../process/gateway-registry.js';
import { killSwitchEngagedMessage } from '../../src-shared/domain/kill-switch.js';
import type { ParentChannel } from './parent-channel.js';
import { composeGateway } from './gateway-composition.js';
import { KeychainSecret } from './keychain-secret.js';
import { providerAutoStart, providerFactories } from './providers/registry.js';
import type { ConfigService } from '../config/config-service.js';
import type { Logger } from '../logging/logger.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** The exit code of a gateway refused because the kill switch is engaged. */
export const EXIT_KILL_SWITCH_ENGAGED = 3;
/** The exit code of a gateway refused because another one is already running. */
export const EXIT_ALREADY_RUNNING = 4;

/** What a running gateway needs from its host process. */
export interface GatewayRunOptions {
  stateDir: string;
  /** The supervisor, or null when run in the foreground by `clawdbot gateway run`. */
  parent: ParentChannel | null;
  version: string;
  /** Where one-line notices go (the terminal in the foreground; a supervised child logs them). */
  notice: (line: string) => void;
  log: Logger;
  /** The process's one config service (its logging follows the same one). */
  config: ConfigService;
}

/**
 * Runs the gateway until it is told to shut down; resolves with the process exit code. Refuses
 * to start while the kill switch is engaged, and (in the foreground) while another gateway runs.
 */
export async function runGateway(options: GatewayRunOptions): Promise<number> {
  const db = openDatabase(options.stateDir);
  const foreground = options.parent === null;
  // Announce ourselves before reading the switch: a kill that comes after this finds the lock
  // file, and one that came before is seen just below — no moment escapes both.
  const unregister = registerGatewayProcess(
    options.stateDir,
    foreground ? 'foreground' : 'supervised',
  );
  const refuse = (code: number): number => {
    unregister();
    db.close();
    return code;
  };
  const killSwitchRepo = createKillSwitchRepo(db);
  const killSwitch = killSwitchRepo.read();
  if (killSwitch.engaged) {
    options.notice(killSwitchEngagedMessage(killSwitch));
    return refuse(EXIT_KILL_SWITCH_ENGAGED);
  }
  const runtime = createRuntimeRepo(db);
  const startedAt = Date.now();
  if (foreground) {
    const other = otherLiveGateway(options.stateDir, runtime.readGateway().process);
    if (other) {
      options.notice(`another gateway is already running (pid ${other.pid}); stop it first`);
      return refuse(EXIT_ALREADY_RUNNING);
    }
    const supervisor = runtime.readSupervisor();
    if (supervisor && isSameProcess(supervisor.pid, supervisor.identity)) {
      options.notice(
        `a supervisor is running (pid ${supervisor.pid}) and owns the gateway: use \`clawdbot gateway start\` instead`,
      );
      return refuse(EXIT_ALREADY_RUNNING);
    }
    // Supervised gateways are recorded by their supervisor; a foreground one records itself so
    // `clawdbot kill` can find it.
    runtime.writeGateway(
      { ...idleGatewayStatus, state: 'running', pid: process.pid, startedAt, readyAt: startedAt },
      processIdentity(process.pid),
    );
  }
  const self = { pid: process.pid, identity: processIdentity(process.pid) };

  // Listen before the (slow) start of the services: a shutdown sent meanwhile must not be lost,
  // and the keychain's secrets are taken as soon as they come.
  const keychain: Record<KeychainSecretName, KeychainSecret> = {
    'model-key': new KeychainSecret(options.parent !== null),
    'telegram-token': new KeychainSecret(options.parent !== null),
  };
  let onSupervisorMessage: ((raw: unknown) => void) | null = null;
  let shutdownRequested = false;
  options.parent?.onMessage((raw) => {
    if (onSupervisorMessage) {
      onSupervisorMessage(raw);
      return;
    }
    const early = SupervisorToGatewaySchema.safeParse(raw).data;
    if (early?.type === 'shutdown') shutdownRequested = true;
    else if (early?.type === 'keychain-secret') keychain[early.name].set(early.value);
  });
  // Only now that we listen: the supervisor answers with its secrets (none, in headless mode).
  options.parent?.send({ type: 'keychain-request' });

  const services = composeGateway({
    db,
    stateDir: options.stateDir,
    config: options.config,
    log: options.log,
    factories: providerFactories,
    autoStart: providerAutoStart,
    modelKey: keychain['model-key'],
    telegramToken: keychain['telegram-token'],
    events: {
      providers: (statuses) => options.parent?.send({ type: 'providers', statuses }),
      console: (message) => {
        if (options.parent) options.parent.send({ type: 'console', message });
        else options.notice(`assistant: ${message.text}`);
      },
      sessionEvent: () => options.parent?.send({ type: 'sessions-changed' }),
    },
  });
  await services.start();

  return new Promise((resolve) => {
    const heartbeat = setInterval(() => {
      options.parent?.send({ type: 'heartbeat', at: Date.now() });
    }, HEARTBEAT_INTERVAL_MS);

    let finished = false;
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      clearInterval(heartbeat);
      stopWatchingKillSwitch();
      void services
        .stop()
        .catch((error: unknown) =>
          options.log.error('stopping the providers failed', { error: describeError(error) }),
        )
        .finally(() => {
          // Only our own record: never erase a gateway that took over since.
          if (foreground)
            runtime.writeGatewayIf(self, { ...idleGatewayStatus, lastExit: null }, null);
          unregister();
          db.close();
          resolve(code);
        });
    };

    // Defence in depth: whoever pulled the switch kills us by pid, but a gateway that sees the
    // switch engaged stops on its own too (e.g. while its pid was not yet recorded).
    const stopWatchingKillSwitch = watchDataVersion(db, 250, () => {
      const state = killSwitchRepo.read();
      if (state.engaged) {
        options.notice(killSwitchEngagedMessage(state));
        unregister();
        process.exit(EXIT_KILL_SWITCH_ENGAGED);
      }
    });

    onSupervisorMessage = (raw) => {
      const parsed = SupervisorToGatewaySchema.safeParse(raw);
      if (!parsed.success) return;
      const message = parsed.data;
      switch (message.type) {
        case 'shutdown':
          finish(0);
          break;
        case 'status-request':
          options.parent?.send({
            type: 'status',
            requestId: message.requestId,
            uptimeMs: Date.now() - startedAt,
            pid: process.pid,
          });
          break;
        case 'provider-control':
          services.controlProvider(message.provider, message.action).catch((error: unknown) =>
            options.log.error('provider control failed', {
              provider: message.provider,
              action: message.action,
              error: describeError(error),
            }),
          );
          break;
        case 'console':
          services
            .consoleMessage(message.text)
            .catch((error: unknown) =>
              options.log.error('console message failed', { error: describeError(error) }),
            );
          break;
        case 'keychain-secret':
          keychain[message.name].set(message.value);
          options.log.info(
            `${message.name} ${message.value ? 'received from the keychain' : 'cleared'}`,
          );
          if (message.name === 'telegram-token') {
            services
              .telegramTokenChanged()
              .catch((error: unknown) =>
                options.log.error('reconnecting Telegram failed', { error: describeError(error) }),
              );
          }
          break;
        default: {
          const unreachable: never = message;
          throw new Error(`unhandled supervisor message ${JSON.stringify(unreachable)}`);
        }
      }
    };
    if (shutdownRequested) finish(0);
    // A supervised gateway whose supervisor vanished has no leash: stop.
    options.parent?.onDisconnect(() => finish(0));
    process.once('SIGTERM', () => finish(0));
    process.once('SIGINT', () => finish(0));

    options.parent?.send({ type: 'ready', pid: process.pid, version: options.version });
    if (foreground) options.notice(`gateway running (pid ${process.pid}); Ctrl-C to stop`);
  });
}
