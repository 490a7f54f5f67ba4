import { app, BrowserWindow } from 'electron';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** The URL the renderer is loaded from: the dev server under `electron-vite dev`, else the built file. */
export function rendererUrl(outDir: string): string {
  // Only a development build may load (and so trust for IPC) a page named by the environment.
  const devServer = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL'];
  return devServer ?? pathToFileURL(join(outDir, 'renderer', 'index.html')).href;
}

/** Whether a frame URL is our own page (same file, or the dev server's origin). */
export function isOwnPage(url: string, outDir: string): boolean {
  const own = new URL(rendererUrl(outDir));
  try {
    const given = new URL(url);
    return own.protocol === 'file:'
      ? given.protocol === 'file:' && given.pathname === own.pathname
      : given.origin === own.origin;
  } catch {
    return false;
  }
}

/** The main window: sandboxed, context-isolated, no Node in the page. */
export function createMainWindow(outDir: string, iconPath: string): BrowserWindow {
  const window = new BrowserWindow({
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
  });
  window.once('ready-to-show', () => window.show());
  void window.loadURL(rendererUrl(outDir));
  return window;
}
