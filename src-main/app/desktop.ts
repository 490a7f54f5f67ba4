import { join } from 'node:path';
import type { PairingRequest } from '../../src-shared/domain/access.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { openConfigService } from '../config/open-config-service.js';
import { startProcessLogging } from '../logging/process-logging.js';
import type { SupervisorOptions } from '../supervisor/supervisor-options.js';
import { startSupervisorHost, type SupervisorHost } from '../supervisor/supervisor-host.js';
import { doctorForHost, imageBuildForHost } from '../doctor/run-doctor.js';
import { notifyGatewayCrashes } from './crash-notifier.js';
import type { PreventableEvent } from './harden.js';
import { registerIpcBridge, type IpcBridgePorts } from './ipc-bridge.js';
import { createSafeStorageStore, type SafeStoragePort } from './keychain-store.js';
import { modelKeyFile, telegramTokenKeychainFile } from '../state-layout.js';
import type { NotificationPort } from './notifications.js';
import { isOwnPage, rendererUrl, type RendererSource } from './page-trust.js';
import { notifyPairingRequests } from './pairing-notifier.js';
import { notifyApprovals } from './approval-notifier.js';
import type { ApprovalRequest } from '../../src-shared/domain/approvals.js';
import { createTray, type TrayFactory } from './tray.js';
import { trayActionHandler } from './tray-actions.js';
import { createUtilityLauncher, type UtilityFork } from './utility-launcher.js';
import { createMainWindow, type MainWindow, type WindowFactory } from './window.js';

/** The part of Electron's `app` the desktop shell uses once the app is ready. */
export interface DesktopApp {
  on(event: 'second-instance', listener: () => void): void;
  on(event: 'window-all-closed', listener: () => void): void;
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): void;
  quit(): void;
  exit(code: number): void;
}

/**
 * Everything the desktop app takes from Electron: the adapters `main.ts` builds from the real
 * modules, and a test builds from fakes. Nothing else in the shell touches Electron.
 */
export interface DesktopPorts {
  app: DesktopApp;
  /** The main window (Electron: `new BrowserWindow`). */
  openWindow: WindowFactory;
  tray: TrayFactory;
  notifications: NotificationPort;
  ipc: IpcBridgePorts;
  /** The OS keychain, for the model key. */
  keychain: SafeStoragePort;
  /** Starts the gateway (Electron: `utilityProcess.fork`). */
  fork: UtilityFork;
  /** A modal error (Electron: `dialog.showErrorBox`). */
  showError(title: string, message: string): void;
  platform: NodeJS.Platform;
}

/** Where the desktop app's files are, and what it runs on. */
export interface DesktopOptions extends Pick<
  SupervisorOptions,
  'docker' | 'policy' | 'heartbeatTimeoutMs' | 'readyTimeoutMs' | 'stopGraceMs'
> {
  stateDir: string;
  /** The build's output: `main/gateway.js`, `preload/`, `renderer/`. */
  outDir: string;
  /** Icons for the window and the tray. */
  assetsDir: string;
  renderer: Omit<RendererSource, 'outDir'>;
  /** The environment config, logs and the gateway follow (default: this process's). */
  env?: NodeJS.ProcessEnv;
}

/** The running desktop app. */
export interface DesktopShell {
  host: SupervisorHost;
  /** Brings the main window up (creating it if it was closed), as the tray's "Show" does. */
  showWindow(): MainWindow;
}

/**
 * The desktop app: one supervisor host (with Electron's IPC bridge as its transport and the
 * gateway as a utility process), the main window, the tray, and desktop notifications. Called
 * by `main.ts` once Electron is ready, with the adapters it builds from Electron.
 */
export async function startDesktop(
  ports: DesktopPorts,
  options: DesktopOptions,
): Promise<DesktopShell> {
  const { stateDir, outDir, assetsDir } = options;
  const env = options.env ?? process.env;
  // One config service for the process: logging and the supervisor follow the same config.
  const config = openConfigService(stateDir, env);
  const logging = startProcessLogging({
    process: 'supervisor',
    stateDir,
    env,
    follow: true,
    config,
  });
  const log = logging.log;
  const ownUrl = rendererUrl({ outDir, ...options.renderer });
  const host = await startSupervisorHost({
    stateDir,
    env: options.env,
    config,
    log,
    docker: options.docker,
    policy: options.policy,
    heartbeatTimeoutMs: options.heartbeatTimeoutMs,
    readyTimeoutMs: options.readyTimeoutMs,
    stopGraceMs: options.stopGraceMs,
    launch: createUtilityLauncher(ports.fork, join(outDir, 'main', 'gateway.js')),
    modelKeyStore:
      createSafeStorageStore(
        ports.keychain,
        modelKeyFile(stateDir),
        'model key',
        log,
        ports.platform,
      ) ?? undefined,
    telegramTokenStore:
      createSafeStorageStore(
        ports.keychain,
        telegramTokenKeychainFile(stateDir),
        'Telegram bot token',
        log,
        ports.platform,
      ) ?? undefined,
    security: {
      // Linux only: `basic_text` means stored secrets are merely obfuscated (the audit says so).
      safeStorageBackend: () =>
        ports.platform === 'linux' ? ports.keychain.getSelectedStorageBackend() : null,
    },
    doctor: doctorForHost(stateDir, env),
    imageBuild: imageBuildForHost(stateDir, env),
    transports: [
      ({ dispatch, events }) => {
        const unregister = registerIpcBridge(ports.ipc, dispatch, events, (url) =>
          isOwnPage(url, ownUrl),
        );
        return { close: unregister };
      },
    ],
    onStartFailed: (error) =>
      ports.showError('Clawdbot could not start the gateway', describeError(error)),
  });
  const { supervisor, events } = host;
  const iconPath = join(assetsDir, 'icon.png');
  const openWindow = (): MainWindow =>
    createMainWindow(ports.openWindow, { outDir, iconPath, url: ownUrl, log });

  let window = openWindow();
  const showWindow = (): MainWindow => {
    if (window.isDestroyed()) window = openWindow();
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return window;
  };
  ports.app.on('second-instance', () => void showWindow());

  /** Brings the window up, then tells its page (once it listens) what to show. */
  const showThen = (tell: () => void): void => {
    const shown = showWindow();
    // A window created just now has no renderer listening yet; its store subscribes while the
    // page loads, so the event waits for the load to finish.
    if (shown.webContents.isLoading()) shown.webContents.once('did-finish-load', tell);
    else tell();
  };
  /** A request's approve dialog (a notification or a tray entry was clicked). */
  const reviewRequest = (requestId: string): void =>
    showThen(() => events.emit('pairing:focus', { requestId }));
  /** One view (the tray's "Open logs", a crash notification). */
  const openView = (view: string): void => showThen(() => events.emit('ui:show', { view }));

  const shutdown = new AbortController();
  let pending: readonly PairingRequest[] = supervisor.access.pendingRequests();
  let waiting: readonly ApprovalRequest[] = supervisor.approvals.pending();
  const tray = createTray(
    ports.tray,
    { assetsDir, platform: ports.platform },
    { snapshot: supervisor.snapshot(), pending },
    {
      onAction: trayActionHandler({
        dispatch: host.dispatch,
        showWindow: () => void showWindow(),
        openView,
        quit: () => ports.app.quit(),
        log: log.child('tray'),
      }),
      onReview: reviewRequest,
      // The window shows the approval dialog for whatever waits.
      onApproval: () => void showWindow(),
    },
  );
  // Only what the tray shows: rebuilding a native menu on every event would be wasted work.
  const updateTray = (): void => tray.update(supervisor.snapshot(), pending, waiting);
  events.on(
    'approvals:changed',
    (overview) => {
      waiting = overview.pending;
      updateTray();
    },
    shutdown.signal,
  );
  notifyApprovals(
    events,
    ports.notifications,
    waiting,
    {
      open: () => void showWindow(),
      decide: (id, choice) => {
        try {
          supervisor.approvals.decide(id, choice, 'desktop');
        } catch (error) {
          // Decided elsewhere first, or the allowlist could not be written: the window says why.
          log.warn('a notification could not decide an approval', {
            id,
            choice,
            error: describeError(error),
          });
          showWindow();
        }
      },
      platform: ports.platform,
    },
    shutdown.signal,
  );
  events.on(
    'pairing:changed',
    (requests) => {
      pending = requests;
      updateTray();
    },
    shutdown.signal,
  );
  events.on('gateway:changed', updateTray, shutdown.signal);
  events.on('killswitch:changed', updateTray, shutdown.signal);
  notifyPairingRequests(events, ports.notifications, pending, reviewRequest, shutdown.signal);
  notifyGatewayCrashes(
    events,
    ports.notifications,
    supervisor.snapshot().gateway,
    () => openView('logs'),
    shutdown.signal,
  );
  log.info('supervisor started', { pid: process.pid, app: true });
  // Closing the window keeps the supervisor (and the tray's kill switch) running.
  ports.app.on('window-all-closed', () => undefined);

  let quitting = false;
  ports.app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    shutdown.abort();
    void host
      .close()
      .catch((error: unknown) =>
        log.error('closing the supervisor failed', { error: describeError(error) }),
      )
      .finally(() => {
        tray.destroy();
        logging.close();
        ports.app.exit(0);
      });
  });
  return { host, showWindow };
}
