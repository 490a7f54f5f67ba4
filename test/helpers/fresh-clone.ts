import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { repoRoot } from './paths.js';

/**
 * What the fresh-clone test and `bench/newcomer` share: a clone of this checkout, a newcomer's
 * environment, commands run to completion, and `npm start` waited on until its UI answers.
 */

/** Clones the committed state of this checkout (what a newcomer would clone) into `dir`. */
export function cloneRepository(dir: string): void {
  const cloned = spawnSync('git', ['clone', '--quiet', repoRoot, dir], { encoding: 'utf8' });
  if (cloned.status !== 0) throw new Error(`git clone failed: ${cloned.stderr}`);
}

/**
 * The environment of a newcomer's shell: this one without npm's own variables (the test run's
 * `npm test` sets dozens), without a display (so nothing opens a browser) and with `extra`.
 */
export function newcomerEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (/^npm_/i.test(key) || key === 'ELECTRON_SKIP_BINARY_DOWNLOAD') continue;
    if (key === 'DISPLAY' || key === 'WAYLAND_DISPLAY' || key.startsWith('VITEST')) continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

/** Electron's download made to fail at once, with no earlier download to fall back on. */
export function failingElectronDownload(emptyCacheDir: string): NodeJS.ProcessEnv {
  return { ELECTRON_MIRROR: 'http://127.0.0.1:1/', electron_config_cache: emptyCacheDir };
}

/** Runs a command to completion: its exit code and everything it printed, interleaved. */
export function runToEnd(
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

/** A web UI process (`npm start`, `clawdbot supervise --web`) that printed its address. */
export interface RunningWebUi {
  child: ChildProcess;
  /** `http://127.0.0.1:<port>/#token=…`, as printed. */
  url: string;
  origin: string;
  token: string;
  /** Everything it printed up to the address. */
  output: string;
  /** Ends it and everything it started (npm, its shell, the supervisor, the gateway). */
  stop(): Promise<void>;
}

/**
 * Starts a command that serves the web UI (in a process group of its own) and resolves once it
 * has printed `Web UI: <address>`; rejects if it exits first.
 */
export function startWebUi(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv },
): Promise<RunningWebUi> {
  const child = spawn(command, args, {
    ...options,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  const stop = async (): Promise<void> => {
    if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    let output = '';
    const look = (text: string): void => {
      output += text;
      const match = /^Web UI: ((http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+))$/m.exec(output);
      if (match)
        resolve({ child, url: match[1]!, origin: match[2]!, token: match[3]!, output, stop });
    };
    child.stdout.setEncoding('utf8').on('data', look);
    child.stderr.setEncoding('utf8').on('data', look);
    child.once('exit', (code) =>
      reject(
        new Error(
          `${command} ${args.join(' ')} exited (${code}) before printing the address:\n${output}`,
        ),
      ),
    );
  });
}
