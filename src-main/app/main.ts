import {
  BrowserWindow,
  Menu,
  Notification,
  Tray,
  app,
  dialog,
  ipcMain,
  nativeImage,
  safeStorage,
  session,
  utilityProcess,
} from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { resolveStateDir } from '../state-layout.js';
import { startDesktop, type DesktopPorts } from './desktop.js';
import { hardenApp, hardenSession } from './harden.js';
import { adaptElectronNotification } from './notifications.js';
import { contentSecurityPolicy } from '../web/content-security-policy.js';
import { readInlineHashes } from '../web/inline-hashes.js';

// The desktop shell's only Electron-bound lines: each adapter hands a real Electron module to
// the shell (desktop.ts), whose logic runs, and is tested, without Electron.
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

const ports: DesktopPorts = {
  app,
  openWindow: (options) => new BrowserWindow(options),
  tray: (imagePath) => {
    const tray = new Tray(nativeImage.createFromPath(imagePath));
    return {
      setImage: (path) => tray.setImage(nativeImage.createFromPath(path)),
      setToolTip: (text) => tray.setToolTip(text),
      setTitle: (text) => tray.setTitle(text),
      setMenu: (items) => tray.setContextMenu(Menu.buildFromTemplate(items)),
      destroy: () => tray.destroy(),
    };
  },
  notifications: {
    isSupported: () => Notification.isSupported(),
    create: (options) =>
      adaptElectronNotification((electronOptions) => new Notification(electronOptions), options),
  },
  ipc: { ipcMain, windows: () => BrowserWindow.getAllWindows() },
  keychain: safeStorage,
  fork: (modulePath, args, options) => utilityProcess.fork(modulePath, args, options),
  showError: (title, message) => dialog.showErrorBox(title, message),
  platform: process.platform,
};

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  hardenApp(app);
  void app
    .whenReady()
    .then(() => {
      // The renderer's policy, allowing the build's own inline script and style by their hashes.
      const policy = contentSecurityPolicy(readInlineHashes(join(outDir, 'renderer')));
      hardenSession(session.defaultSession, policy);
      return startDesktop(ports, {
        stateDir: resolveStateDir(),
        outDir,
        assetsDir,
        renderer: { packaged: app.isPackaged, devServerUrl: process.env['ELECTRON_RENDERER_URL'] },
      });
    })
    .catch((error: unknown) => {
      // An invisible app holding the single-instance lock would be worse than no app.
      dialog.showErrorBox('Clawdbot could not start', describeError(error));
      app.exit(1);
    });
}
