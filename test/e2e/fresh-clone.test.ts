import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cloneRepository,
  failingElectronDownload,
  newcomerEnv,
  runToEnd,
  startWebUi,
  type RunningWebUi,
} from '../helpers/fresh-clone.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';

/**
 * A newcomer's first two commands, on a machine that cannot download Electron: a clone of this
 * repository (its committed state), `npm install` (from the local npm cache: `--prefer-offline`,
 * so only what the cache lacks is fetched from the registry), then `npm start`, which must serve the web
 * UI at the address it prints. Slow (it installs and builds everything), so it is one file with
 * generous deadlines; nothing in it waits for time to pass, only for what must happen.
 */

const INSTALL_TIMEOUT_MS = 25 * 60_000;
const START_TIMEOUT_MS = 10 * 60_000;

/** Asks the contract for the status over the web UI's socket, signed in with `token`. */
function statusOverSocket(origin: string, token: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${origin.replace(/^http/, 'ws')}/ipc`, { origin });
    ws.on('error', reject);
    ws.on('open', () => {
      ws.send(JSON.stringify({ type: 'auth', token }));
      ws.send(JSON.stringify({ id: 1, channel: 'status:get', input: {} }));
    });
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as { id?: number };
      if (frame.id !== 1) return;
      ws.close();
      resolve(frame);
    });
  });
}

describe('a fresh clone, where Electron cannot be downloaded', () => {
  let root: string;
  let clone: string;
  let started: RunningWebUi | null = null;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'clawdbot-clone-'));
    clone = join(root, 'clawdbot');
    cloneRepository(clone);
  });

  afterAll(async () => {
    await started?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it(
    'npm install succeeds without Electron and says so in one sentence, with no engine warning',
    { timeout: INSTALL_TIMEOUT_MS },
    async () => {
      const emptyElectronCache = join(root, 'electron-cache');
      mkdirSync(emptyElectronCache);
      const install = await runToEnd(
        'npm',
        ['install', '--prefer-offline', '--no-audit', '--no-fund'],
        {
          cwd: clone,
          env: newcomerEnv(failingElectronDownload(emptyElectronCache)),
          timeoutMs: INSTALL_TIMEOUT_MS,
        },
      );
      expect(install.code, install.output).toBe(0);
      expect(install.output).toMatch(
        /^Electron [\d.]+ could not be downloaded \(.*ECONNREFUSED.*\), so the desktop app is not installed; everything else is, and `npm start` serves the UI in your browser instead \(retry with `npm run electron:install`\)\.$/m,
      );
      expect(install.output).not.toMatch(/EBADENGINE|npm (error|ERR!)/);
      // Electron's package (its types, its version) is there; its binary is not.
      expect(existsSync(join(clone, 'node_modules', 'electron', 'package.json'))).toBe(true);
      expect(existsSync(join(clone, 'node_modules', 'electron', 'path.txt'))).toBe(false);
    },
  );

  it(
    'npm start says why there is no desktop app and serves the web UI at the address it prints',
    { timeout: START_TIMEOUT_MS },
    async () => {
      started = await startWebUi('npm', ['start', '--', '--port', '0'], {
        cwd: clone,
        env: newcomerEnv({
          CLAWDBOT_STATE_DIR: join(root, 'state'),
          CLAWDBOT_LOG_FILE: join(root, 'logs', 'clawdbot-YYYY-MM-DD.log'),
          DOCKER_HOST: NO_DOCKER_HOST,
        }),
      });
      // npm's banner, then our one sentence, then the address: no stack trace in between.
      const ours = started.output
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('> ') && !line.startsWith('{'));
      expect(ours[0]).toBe(
        'Electron is not installed (its download failed or was skipped; `npm run electron:install` tries again), so Clawdbot runs without the desktop app: the same supervisor, with its UI in your browser.',
      );
      expect(ours[1]).toBe(`Web UI: ${started.url}`);
      expect(started.output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
      const page = await fetch(`${started.origin}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      expect(await statusOverSocket(started.origin, started.token)).toMatchObject({
        id: 1,
        ok: true,
      });
    },
  );
});
