import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findElectron, type ElectronInstall } from '../electron-install.js';

/** What deciding between the desktop app and the browser looks at; injectable for tests. */
export interface DesktopProbe {
  /** The repository root (where `node_modules/electron` and `scripts/` are). */
  appRoot: string;
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  /** The user id this runs as (default: this process's); Electron on Linux refuses root. */
  uid?: number;
  /** Runs a program to completion (the default spawns it); `show` passes its stdout through. */
  run?: (file: string, args: string[], show: boolean) => RunResult;
}

/** How a program run ended: its exit status and what it printed that was not shown. */
export interface RunResult {
  status: number | null;
  output: string;
  error?: Error;
}

/** Whether the desktop app can start here, and if not, why (one clause). */
export type DesktopVerdict =
  { ok: true; electron: ElectronInstall } | { ok: false; reason: string };

function defaultRun(file: string, args: string[], show: boolean): RunResult {
  const result = spawnSync(file, args, {
    encoding: 'utf8',
    stdio: ['ignore', show ? 'inherit' : 'pipe', 'pipe'],
    // Generous: a rebuild of better-sqlite3 compiles C++ on a slow machine.
    timeout: 15 * 60_000,
  });
  return {
    status: result.status,
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
    ...(result.error && { error: result.error }),
  };
}

/** Whether a window can be shown: macOS and Windows always; elsewhere an X11 or Wayland display. */
export function hasDisplay(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env['DISPLAY'] || env['WAYLAND_DISPLAY']);
}

/** The first line of output that says what went wrong, without a stack. */
export function firstReason(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at '));
  return lines[0] ?? 'no output';
}

const NETWORK =
  /network connectivity|getaddrinfo|ENOTFOUND|ECONNREFUSED|EAI_AGAIN|ETIMEDOUT|ECONNRESET/;

/**
 * The native module the desktop app needs: better-sqlite3 built for Electron's ABI into
 * `.native/`, once (scripts/ensure-electron-native.mjs). It needs Electron's headers from the
 * internet; what it printed is kept in `.native/electron-<version>.log` when it fails.
 */
function buildNativeForElectron(probe: DesktopProbe, electron: ElectronInstall): string | null {
  const run = probe.run ?? defaultRun;
  // Its progress ("Building better-sqlite3 for Electron…, once") shows; its errors are kept.
  const result = run(
    process.execPath,
    [join(probe.appRoot, 'scripts', 'ensure-electron-native.mjs')],
    true,
  );
  if (result.status === 0) return null;
  const output = result.error ? result.error.message : result.output;
  const log = join(probe.appRoot, '.native', `electron-${electron.version}.log`);
  try {
    mkdirSync(join(probe.appRoot, '.native'), { recursive: true });
    writeFileSync(log, output);
  } catch {
    // The log is a courtesy; the reason below is printed either way.
  }
  const why = NETWORK.test(output)
    ? `Electron ${electron.version}'s headers could not be downloaded to build better-sqlite3 for it`
    : `better-sqlite3 could not be built for Electron ${electron.version} (${firstReason(output)})`;
  return `${why} (details in ${log})`;
}

/**
 * Decides whether `npm start` can open the desktop app: Electron's binary is there, there is a
 * display, this is not root on Linux, the binary runs, and better-sqlite3 is (or can now be)
 * built for it. Checked in
 * that order, cheapest first; the first that fails is the reason.
 */
export function checkDesktop(probe: DesktopProbe): DesktopVerdict {
  const electron = findElectron(probe.appRoot);
  if (!electron) {
    return {
      ok: false,
      reason:
        'Electron is not installed (its download failed or was skipped; `npm run electron:install` tries again)',
    };
  }
  if (!hasDisplay(probe.env, probe.platform)) {
    return {
      ok: false,
      reason: 'there is no display here (DISPLAY and WAYLAND_DISPLAY are unset)',
    };
  }
  // Chromium will not start as root with its sandbox on, and the app never turns it off.
  if (probe.platform === 'linux' && (probe.uid ?? process.getuid?.()) === 0) {
    return {
      ok: false,
      reason:
        'this runs as root, and Electron refuses to start as root with its sandbox on (the desktop app never turns it off)',
    };
  }
  const run = probe.run ?? defaultRun;
  // Loads the binary and its shared libraries without opening a window.
  const version = run(electron.binary, ['--version'], false);
  if (version.status !== 0) {
    const output = version.error ? version.error.message : version.output;
    return {
      ok: false,
      reason: `Electron ${electron.version} does not run here (${firstReason(output)})`,
    };
  }
  const native = buildNativeForElectron(probe, electron);
  if (native) return { ok: false, reason: native };
  return { ok: true, electron };
}
