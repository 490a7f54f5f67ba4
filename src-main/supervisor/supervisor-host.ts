import { describeError } from '../../src-shared/errors/describe-error.js';
import type { SecurityHost } from './security-handlers.js';
import type { DoctorRunner } from './doctor-handlers.js';
import { ImageBuildAdmin, type ImageBuilder } from './image-build-admin.js';
import { logSupervisorEvents } from '../logging/supervisor-event-log.js';
import { createContractHandlers } from './contract-handlers.js';
import { startControlServer } from './control-server.js';
import type { EventHub } from './event-hub.js';
import { createDispatch, type Dispatch } from './ipc-router.js';
import { Supervisor } from './supervisor.js';
import type { SupervisorOptions } from './supervisor-options.js';

/** What a transport is given once the supervisor is up: the one dispatch and the one event hub. */
export interface HostContext {
  supervisor: Supervisor;
  dispatch: Dispatch;
  events: EventHub;
}

/** A running transport (the web UI's server, Electron's IPC bridge). */
export interface HostTransport {
  close(): Promise<void> | void;
}

/** Starts a transport on a supervisor that is up. */
export type TransportStarter = (host: HostContext) => Promise<HostTransport> | HostTransport;

/** How a supervisor host is put together; the desktop app and headless mode differ only here. */
export interface SupervisorHostOptions extends SupervisorOptions {
  /** What the security audit should know of this host beyond its state directory. */
  security?: Pick<SecurityHost, 'webHost' | 'webUrl' | 'safeStorageBackend'>;
  /** The dashboard's set-up checks (`doctor:run`); without it the channel says unavailable. */
  doctor?: DoctorRunner;
  /** The setup page's sandbox image build (`imagebuild:start`); without it the channel says unavailable. */
  imageBuild?: ImageBuilder;
  /** Transports beyond the CLI's control socket, started in order once dispatch exists. */
  transports?: readonly TransportStarter[];
  /** The gateway could not be started at boot (logged either way); the desktop shows a dialog. */
  onStartFailed?: (error: unknown) => void;
}

/** A running supervisor with its transports. */
export interface SupervisorHost extends HostContext {
  /** The control socket the CLI reaches this supervisor on. */
  controlSocket: string;
  /** The transports' handles, in the order of `options.transports`. */
  transports: readonly HostTransport[];
  /** Closes the transports (last started first), then the supervisor and its gateway. */
  close(): Promise<void>;
}

/**
 * Starts the supervisor the way every host runs it: the supervisor, one dispatch (internal
 * failures logged), the CLI's control socket, the host's transports, the supervisor's events
 * logged, and the gateway started unless the kill switch is engaged. The desktop app and
 * `clawdbot supervise` both call this; what differs is passed in (launcher, transports, keychain).
 */
export async function startSupervisorHost(options: SupervisorHostOptions): Promise<SupervisorHost> {
  const { log } = options;
  const supervisor = Supervisor.open(options);
  const shutdown = new AbortController();
  const started: HostTransport[] = [];
  const closeAll = async (): Promise<void> => {
    shutdown.abort();
    for (const transport of started.splice(0).reverse()) await transport.close();
    await supervisor.close();
  };
  try {
    const dispatch = createDispatch(
      createContractHandlers(
        supervisor,
        { stateDir: options.stateDir, env: options.env, ...options.security },
        options.doctor,
        new ImageBuildAdmin(
          options.imageBuild,
          () => supervisor.config.current().config.agent.sandbox.docker.image,
          (state) => supervisor.events.emit('imagebuild:changed', state),
        ),
      ),
      // An AppError is an answer; anything else is a bug or a broken part, and its envelope
      // reaches only the caller: the log is where the owner can find it afterwards.
      (channel, error) =>
        log.error('contract call failed', { channel, error: describeError(error) }),
    );
    const events = supervisor.events;
    const control = await startControlServer(
      options.stateDir,
      dispatch,
      events,
      log.child('control-socket'),
    );
    started.push(control);
    supervisor.setControlSocket(control.path);
    const context: HostContext = { supervisor, dispatch, events };
    const transports: HostTransport[] = [];
    for (const start of options.transports ?? []) {
      const transport = await start(context);
      started.push(transport);
      transports.push(transport);
    }
    logSupervisorEvents(events, log, shutdown.signal);
    // Not awaited: the UI and the control socket are up meanwhile, and show the gateway starting.
    void supervisor.startIfArmed().catch((error: unknown) => {
      log.error('could not start the gateway', { error: describeError(error) });
      options.onStartFailed?.(error);
    });
    return {
      ...context,
      controlSocket: control.path,
      transports,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
