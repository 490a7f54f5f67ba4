import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkDesktop } from '../../src-main/cli/desktop-check.js';
import { startCli } from '../helpers/cli.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';

/**
 * `npm start` (`clawdbot start`): the desktop app where Electron runs; elsewhere one sentence
 * saying why, then the same supervisor with the web UI, opened in the browser on a desktop.
 * Electron's binary cannot be downloaded here, so the checks run against a stand-in: a real
 * program in Electron's place that behaves as a missing library or a working binary would.
 */

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

function script(path: string, body: string): void {
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
}

/** An app root with Electron's package and, unless `binary` is null, a stand-in binary. */
function appRoot(options: { binary: string | null; native?: string }): string {
  const root = tempDir('clawdbot-approot-');
  const electron = join(root, 'node_modules', 'electron');
  mkdirSync(electron, { recursive: true });
  writeFileSync(join(electron, 'package.json'), JSON.stringify({ version: '39.8.10' }));
  const binary = join(root, 'electron-binary');
  writeFileSync(
    join(electron, 'index.js'),
    options.binary === null
      ? "throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');\n"
      : `module.exports = ${JSON.stringify(binary)};\n`,
  );
  if (options.binary !== null) script(binary, options.binary);
  mkdirSync(join(root, 'scripts'));
  writeFileSync(
    join(root, 'scripts', 'ensure-electron-native.mjs'),
    options.native ?? 'process.exit(0);\n',
  );
  return root;
}

const linuxDesktop = { DISPLAY: ':0' };
/** A user who is not root, whoever runs the tests. */
const USER = 1000;

describe('whether the desktop app can start', () => {
  it('not when Electron was not downloaded', () => {
    expect(
      checkDesktop({
        appRoot: appRoot({ binary: null }),
        env: linuxDesktop,
        platform: 'linux',
        uid: USER,
      }),
    ).toEqual({
      ok: false,
      reason:
        'Electron is not installed (its download failed or was skipped; `npm run electron:install` tries again)',
    });
  });

  it('not without a display on Linux; macOS and Windows always have one', () => {
    const root = appRoot({ binary: 'echo v39.8.10' });
    expect(checkDesktop({ appRoot: root, env: {}, platform: 'linux', uid: USER })).toEqual({
      ok: false,
      reason: 'there is no display here (DISPLAY and WAYLAND_DISPLAY are unset)',
    });
    expect(checkDesktop({ appRoot: root, env: {}, platform: 'darwin', uid: USER }).ok).toBe(true);
    expect(
      checkDesktop({
        appRoot: root,
        env: { WAYLAND_DISPLAY: 'wayland-0' },
        platform: 'linux',
        uid: USER,
      }).ok,
    ).toBe(true);
  });

  it('not as root on Linux, where Electron will not start with its sandbox on', () => {
    const root = appRoot({ binary: 'echo v39.8.10' });
    expect(checkDesktop({ appRoot: root, env: linuxDesktop, platform: 'linux', uid: 0 })).toEqual({
      ok: false,
      reason:
        'this runs as root, and Electron refuses to start as root with its sandbox on (the desktop app never turns it off)',
    });
  });

  it('not when the binary cannot run (a missing library)', () => {
    const root = appRoot({
      binary:
        "echo 'electron: error while loading shared libraries: libnss3.so: cannot open shared object file' >&2; exit 127",
    });
    expect(
      checkDesktop({ appRoot: root, env: linuxDesktop, platform: 'linux', uid: USER }),
    ).toEqual({
      ok: false,
      reason:
        'Electron 39.8.10 does not run here (electron: error while loading shared libraries: libnss3.so: cannot open shared object file)',
    });
  });

  it("not when Electron's headers cannot be downloaded for the native module, with the output kept", () => {
    const root = appRoot({
      binary: 'echo v39.8.10',
      native: [
        "console.error('gyp ERR! stack Error: This is most likely not a problem with node-gyp or the package itself and');",
        "console.error('gyp ERR! stack is related to network connectivity.');",
        "console.error('better-sqlite3 was not built for Electron 39.8.10: node-gyp failed to rebuild');",
        'process.exit(1);',
      ].join('\n'),
    });
    const log = join(root, '.native', 'electron-39.8.10.log');
    expect(
      checkDesktop({ appRoot: root, env: linuxDesktop, platform: 'linux', uid: USER }),
    ).toEqual({
      ok: false,
      reason: `Electron 39.8.10's headers could not be downloaded to build better-sqlite3 for it (details in ${log})`,
    });
    expect(readFileSync(log, 'utf8')).toContain('network connectivity');
  });

  it('names a native build that failed for another reason', () => {
    const root = appRoot({
      binary: 'echo v39.8.10',
      native:
        "console.error('better-sqlite3 was not built for Electron 39.8.10: make: g++: No such file or directory'); process.exit(1);",
    });
    const verdict = checkDesktop({
      appRoot: root,
      env: linuxDesktop,
      platform: 'linux',
      uid: USER,
    });
    expect(verdict).toMatchObject({
      ok: false,
      reason: expect.stringMatching(
        /^better-sqlite3 could not be built for Electron 39\.8\.10 \(better-sqlite3 was not built for Electron 39\.8\.10: make: g\+\+: No such file or directory\) \(details in /,
      ) as unknown,
    });
  });

  it('yes when the binary runs and the native module is built', () => {
    const root = appRoot({ binary: 'echo v39.8.10' });
    expect(
      checkDesktop({ appRoot: root, env: linuxDesktop, platform: 'linux', uid: USER }),
    ).toEqual({
      ok: true,
      electron: { version: '39.8.10', binary: join(root, 'electron-binary') },
    });
  });
});

describe('clawdbot start where the desktop app cannot run', () => {
  const stateDir = useTempStateDirs();

  it('says why in one sentence, serves the web UI and opens it in the browser without the token', async () => {
    // A desktop whose browser opener writes down what it was given.
    const bin = tempDir('clawdbot-bin-');
    const opened = join(bin, 'opened.txt');
    script(join(bin, 'xdg-open'), `printf '%s\\n' "$@" >> ${opened}`);
    const start = startCli(['start', '--port', '0'], {
      CLAWDBOT_STATE_DIR: stateDir(),
      DOCKER_HOST: NO_DOCKER_HOST,
      DISPLAY: ':0',
      PATH: `${bin}${delimiter}${process.env['PATH'] ?? ''}`,
      // Wherever Electron was downloaded, it reads as missing for this run.
      ELECTRON_OVERRIDE_DIST_PATH: join(bin, 'no-electron'),
    });
    try {
      const [, url, origin, token] = await start.waitForOutput(
        /Web UI: ((http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+))\n/,
        60_000,
      );
      const lines = start.output().split('\n');
      expect(lines[0]).toBe(
        'Electron is not installed (its download failed or was skipped; `npm run electron:install` tries again), so Clawdbot runs without the desktop app: the same supervisor, with its UI in your browser.',
      );
      expect(url).toBeDefined();
      const page = await fetch(`${origin}/`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('<div id="root">');
      const link = await waitFor('the browser to be opened', () => {
        try {
          return readFileSync(opened, 'utf8').trim();
        } catch {
          return null;
        }
      });
      expect(link).toMatch(new RegExp(`^${origin}/launch/[A-Za-z0-9_-]+$`));
      expect(link).not.toContain(token);
      expect(start.output()).toContain('Opening it in your browser.');
    } finally {
      await start.stop();
    }
  });
});
