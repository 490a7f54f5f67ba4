import { Notification, app, dialog, safeStorage, type BrowserWindow } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PairingRequest } from '../../src-shared/domain/access.js';
import { DEFAULT_KILL_REASON } from '../../src-shared/domain/kill-switch.js';
import { resolveStateDir } from '../state-layout.js';
import { startProcessLogging } from '../logging/process-logging.js';
import { openConfigService } from '../config/open-config-service.js';
import { logSupervisorEvents } from '../logging/supervisor-event-log.js';
import { startControlServer } from '../supervisor/control-server.js';
import { createContractHandlers } from '../supervisor/contract-handlers.js';
import { createDispatch } from '../supervisor/ipc-router.js';
import { Supervisor } from '../supervisor/supervisor.js';
import type { GatewayStatus } from '../../src-shared/domain/gateway.js';
import { crashNotice, type TrayAction } from '../supervisor/tray-model.js';
import { hardenApp, hardenSession } from './harden.js';
import { registerIpcBridge } from './ipc-bridge.js';
import { notifyPairingRequests } from './pairing-notifier.js';
import { createTray } from './tray.js';
import { createSafeStorageKeyStore } from './model-key-store.js';
import { createUtilityLauncher } from './utility-launcher.js';
import { createMainWindow, isOwnPage } from './window.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

// The desktop shell: everything here is Electron glue; the logic lives in src-main/supervisor.
const outDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const assetsDir = app.isPackaged
  ? join(process.resourcesPath, 'assets')
  : join(app.getAppPath(), 'assets');

// better-sqlite3 built for Electron's ABI lives beside, not inside, node_modules (see
// scripts/ensure-electron-native.mjs); the gateway utility process inherits the setting.
const electronBinding = join(
  app.getAppPath(),
  '.native',
  `electron-${process.versions.electron}`,
  'better_sqlite3.node',
);
if (!app.isPackaged && existsSync(electronBinding))
  process.env['CLAWDBOT_SQLITE_BINDING'] = electronBinding;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  hardenApp();
  void app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      // An invisible app holding the single-instance lock would be worse than no app.
      dialog.showErrorBox('Clawdbot could not start', describeError(error));
      app.exit(1);
    });
}

async function start(): Promise<void> {
  hardenSession();
  const stateDir = resolveStateDir();
  // One config service for the process: logging and the supervisor follow the same config.
  const config = openConfigService(stateDir);
  const logging = startProcessLogging({ process: 'supervisor', stateDir, follow: true, config });
  const supervisor = Supervisor.open({
    stateDir,
    config,
    launch: createUtilityLauncher(join(outDir, 'main', 'gateway.js')),
    modelKeyStore: createSafeStorageKeyStore(stateDir) ?? undefined,
  });
  const dispatch = createDispatch(
    createContractHandlers(supervisor, {
      stateDir,
      // Linux only: `basic_text` means stored secrets are merely obfuscated (the audit says so).
      safeStorageBackend: () =>
        process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
    }),
  );
  registerIpcBridge(dispatch, supervisor.events, (url) => isOwnPage(url, outDir));
  const control = await startControlServer(
    stateDir,
    dispatch,
    supervisor.events,
    logging.log.child('control-socket'),
  );
  supervisor.setControlSocket(control.path);

  let window: BrowserWindow | null = createMainWindow(outDir, join(assetsDir, 'icon.png'));
  const showWindow = (): BrowserWindow => {
    if (!window || window.isDestroyed())
      window = createMainWindow(outDir, join(assetsDir, 'icon.png'));
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
    return window;
  };
  app.on('second-instance', () => void showWindow());

  /** Brings the window up on a request's approve dialog (a notification or tray entry was clicked). */
  const reviewRequest = (requestId: string): void => {
    const shown = showWindow();
    const focus = (): void => supervisor.events.emit('pairing:focus', { requestId });
    // A window created just now has no renderer listening yet; its store subscribes while the
    // page loads, so the event waits for the load to finish.
    if (shown.webContents.isLoading()) shown.webContents.once('did-finish-load', focus);
    else focus();
  };

  /** Brings the window up on one view (the tray's "Open logs"), like reviewRequest does. */
  const openView = (view: string): void => {
    const shown = showWindow();
    const show = (): void => supervisor.events.emit('ui:show', { view });
    if (shown.webContents.isLoading()) shown.webContents.once('did-finish-load', show);
    else show();
  };

  const onTrayAction = (action: TrayAction): void => {
    switch (action) {
      case 'kill':
        void supervisor.engageKillSwitch(DEFAULT_KILL_REASON, 'tray');
        break;
      case 'start':
        void dispatch('gateway:start', {}, { transport: 'electron' });
        break;
      case 'restart':
        void dispatch('gateway:restart', {}, { transport: 'electron' });
        break;
      case 'show':
        showWindow();
        break;
      case 'logs':
        openView('logs');
        break;
      case 'quit':
        app.quit();
        break;
      default: {
        const unreachable: never = action;
        throw new Error(`unknown tray action ${String(unreachable)}`);
      }
    }
  };
  let pending: readonly PairingRequest[] = supervisor.access.pendingRequests();
  const tray = createTray(
    assetsDir,
    { snapshot: supervisor.snapshot(), pending },
    { onAction: onTrayAction, onReview: reviewRequest },
  );
  const shutdown = new AbortController();
  supervisor.events.subscribe((event, payload) => {
    if (event === 'pairing:changed') pending = payload as PairingRequest[];
    // Only what the tray shows: rebuilding a native menu on every event would be wasted work.
    if (
      event === 'pairing:changed' ||
      event === 'gateway:changed' ||
      event === 'killswitch:changed'
    )
      tray.update(supervisor.snapshot(), pending);
  }, shutdown.signal);
  notifyPairingRequests(supervisor.events, pending, reviewRequest, shutdown.signal);
  // A crash loop the manager gave up on: nothing answers until the owner acts, so say so.
  let lastGateway: GatewayStatus = supervisor.snapshot().gateway;
  // Held: a notification that is garbage-collected silently loses its click handler.
  let crashNotification: Notification | null = null;
  supervisor.events.subscribe((event, payload) => {
    if (event !== 'gateway:changed') return;
    const next = payload as GatewayStatus;
    const notice = crashNotice(lastGateway, next);
    lastGateway = next;
    if (!notice || !Notification.isSupported()) return;
    crashNotification?.close();
    crashNotification = new Notification(notice);
    crashNotification.on('click', () => openView('logs'));
    crashNotification.show();
  }, shutdown.signal);
  logSupervisorEvents(supervisor.events, logging.log, shutdown.signal);
  logging.log.info('supervisor started', { pid: process.pid, app: true });
  // Closing the window keeps the supervisor (and the tray's kill switch) running.
  app.on('window-all-closed', () => undefined);

  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    quitting = true;
    event.preventDefault();
    shutdown.abort();
    void Promise.all([control.close(), supervisor.close()]).finally(() => {
      tray.destroy();
      app.exit(0);
    });
  });

  void supervisor.startIfArmed().catch((error: unknown) => {
    dialog.showErrorBox('Clawdbot could not start the gateway', describeError(error));
  });
}
