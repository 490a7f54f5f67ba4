import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NO_DOCKER_HOST, repoRoot } from '../helpers/paths.js';

/**
 * A newcomer's first two commands, on a machine that cannot download Electron: a clone of this
 * repository, `npm install` (from the local npm cache, as a machine without the internet but
 * with a warm cache would), then `npm start`, which must serve the web UI at the address it
 * prints. Slow (it installs and builds everything), so it is one file with generous deadlines;
 * nothing in it waits for time to pass, only for what must happen.
 */

const INSTALL_TIMEOUT_MS = 25 * 60_000;
const START_TIMEOUT_MS = 10 * 60_000;

/** The environment of a newcomer's shell: none of npm's own variables from the test run. */
function newcomerEnv(extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'ELECTRON_SKIP_BINARY_DOWNLOAD') continue;
    if (key === 'DISPLAY' || key === 'WAYLAND_DISPLAY' || key.startsWith('VITEST')) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** A command's outcome: exit code and everything it printed, interleaved. */
function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (output += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (output += text));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish in time:\n${output}`));
    }, options.timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

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
      const frame = JSON.parse(data.toString('utf8')) as { id?: number; ok?: boolean };
      if (frame.id !== 1) return;
      ws.close();
      resolve(frame);
    });
  });
}

describe('a fresh clone, where Electron cannot be downloaded', () => {
  let root: string;
  let clone: string;
  let start: ChildProcess | null = null;

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'clawdbot-clone-'));
    clone = join(root, 'clawdbot');
    // The committed state of this checkout: what a newcomer would clone.
    const cloned = spawnSync('git', ['clone', '--quiet', repoRoot, clone], { encoding: 'utf8' });
    expect(cloned.status, cloned.stderr).toBe(0);
  });

  afterAll(async () => {
    if (start?.pid !== undefined && start.exitCode === null) {
      const exited = new Promise((resolve) => start?.once('exit', resolve));
      // npm, its shell and the supervisor it started: the whole group.
      process.kill(-start.pid, 'SIGTERM');
      await exited;
    }
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it(
    'npm install succeeds without Electron and says so in one sentence, with no engine warning',
    { timeout: INSTALL_TIMEOUT_MS },
    async () => {
      const emptyElectronCache = join(root, 'electron-cache');
      mkdirSync(emptyElectronCache);
      const install = await run('npm', ['install', '--offline', '--no-audit', '--no-fund'], {
        cwd: clone,
        env: newcomerEnv({
          // Electron's download fails at once, and no earlier download is found.
          ELECTRON_MIRROR: 'http://127.0.0.1:1/',
          electron_config_cache: emptyElectronCache,
        }),
        timeoutMs: INSTALL_TIMEOUT_MS,
      });
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
      start = spawn('npm', ['start', '--', '--port', '0'], {
        cwd: clone,
        env: newcomerEnv({
          CLAWDBOT_STATE_DIR: join(root, 'state'),
          CLAWDBOT_LOG_FILE: join(root, 'logs', 'clawdbot-YYYY-MM-DD.log'),
          DOCKER_HOST: NO_DOCKER_HOST,
        }),
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      });
      let output = '';
      const printed = await new Promise<RegExpMatchArray>((resolve, reject) => {
        const look = (text: string): void => {
          output += text;
          const match = /^Web UI: ((http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+))$/m.exec(output);
          if (match) resolve(match);
        };
        start?.stdout?.setEncoding('utf8').on('data', look);
        start?.stderr?.setEncoding('utf8').on('data', look);
        start?.once('exit', (code) =>
          reject(new Error(`npm start exited (${code}) before printing the address:\n${output}`)),
        );
      });
      const [, , origin, token] = printed;
      // npm's banner, then our one sentence, then the address: no stack trace in between.
      const ours = output
        .split('\n')
        .filter((line) => line !== '' && !line.startsWith('> ') && !line.startsWith('{'));
      expect(ours[0]).toBe(
        'Electron is not installed (its download failed or was skipped; `npm run electron:install` tries again), so Clawdbot runs without the desktop app: the same supervisor, with its UI in your browser.',
      );
      expect(ours[1]).toBe(printed[0]);
      expect(output).not.toMatch(/\n\s+at .+\(.+:\d+:\d+\)/);
      const page = await fetch(`${origin}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      expect(await statusOverSocket(origin ?? '', token ?? '')).toMatchObject({ id: 1, ok: true });
    },
  );
});
