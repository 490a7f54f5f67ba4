import { describe, expect, it } from 'vitest';
import { createMainWindow } from '../../src-main/app/window.js';
import { createLogger } from '../../src-main/logging/logger.js';
import { FakeWindow } from '../helpers/fake-electron.js';
import { waitFor } from '../helpers/wait.js';

describe('the main window', () => {
  it('is sandboxed and isolated, with only our preload, on our page, shown once painted', () => {
    const made: FakeWindow[] = [];
    const window = createMainWindow(
      (options) => {
        const w = new FakeWindow(options);
        made.push(w);
        return w;
      },
      {
        outDir: '/app/out',
        iconPath: '/app/assets/icon.png',
        url: 'file:///app/out/renderer/index.html',
        log: createLogger({ process: 'supervisor' }),
      },
    );
    expect(made).toEqual([window]);
    const w = made[0]!;
    expect(w.options.webPreferences).toEqual({
      preload: '/app/out/preload/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webviewTag: false,
      spellcheck: false,
    });
    expect(w.options).toMatchObject({ show: false, icon: '/app/assets/icon.png' });
    expect(w.url).toBe('file:///app/out/renderer/index.html');
    expect(w.visible).toBe(false);
    w.finishLoading();
    expect(w.visible).toBe(true);
  });

  it('a page that fails to load is logged, not thrown', async () => {
    const lines: string[] = [];
    const failing = new FakeWindow({});
    failing.loadURL = () => Promise.reject(new Error('ERR_FILE_NOT_FOUND'));
    createMainWindow(() => failing, {
      outDir: '/app/out',
      iconPath: '/app/assets/icon.png',
      url: 'file:///app/out/renderer/index.html',
      log: createLogger({ process: 'supervisor', write: (line) => lines.push(line) }),
    });
    const line = await waitFor('the failure logged', () => lines[0]);
    expect(JSON.parse(line)).toMatchObject({
      level: 'error',
      msg: 'the window could not load its page',
      error: 'ERR_FILE_NOT_FOUND',
    });
  });
});
