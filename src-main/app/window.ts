import { join } from 'node:path';
import type { BrowserWindowConstructorOptions } from 'electron';
import { describeError } from '../../src-shared/errors/describe-error.js';
import type { Logger } from '../logging/logger.js';

/** The part of Electron's `BrowserWindow` the shell uses (the real one is checked against it). */
export interface MainWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  show(): void;
  focus(): void;
  once(event: 'ready-to-show', listener: () => void): void;
  loadURL(url: string): Promise<void>;
  webContents: {
    isLoading(): boolean;
    once(event: 'did-finish-load', listener: () => void): void;
    send(channel: string, ...args: unknown[]): void;
  };
}

/** What a window is made with (Electron's `BrowserWindowConstructorOptions`). */
export type WindowOptions = BrowserWindowConstructorOptions;

/** Makes a window (Electron: `new BrowserWindow(options)`). */
export type WindowFactory = (options: WindowOptions) => MainWindow;

/**
 * The main window's options: sandboxed, context-isolated, no Node in the page, no webviews,
 * only our preload, hidden until its first paint.
 */
export function mainWindowOptions(outDir: string, iconPath: string): WindowOptions {
  return {
    width: 1100,
    height: 760,
    minWidth: 720,
    minHeight: 520,
    title: 'Clawdbot',
    icon: iconPath,
    show: false,
    webPreferences: {
      preload: join(outDir, 'preload', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Opens the main window on `url`, shown once it has painted. */
export function createMainWindow(
  create: WindowFactory,
  options: { outDir: string; iconPath: string; url: string; log: Logger },
): MainWindow {
  const window = create(mainWindowOptions(options.outDir, options.iconPath));
  window.once('ready-to-show', () => window.show());
  // A page that fails to load leaves an empty window; the supervisor (and the tray's kill
  // switch) do not depend on it, so it is logged rather than fatal.
  window.loadURL(options.url).catch((error: unknown) =>
    options.log.error('the window could not load its page', {
      url: options.url,
      error: describeError(error),
    }),
  );
  return window;
}
