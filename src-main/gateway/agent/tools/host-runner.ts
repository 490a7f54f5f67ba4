import { spawn } from 'node:child_process';
import { mkdir, open, readFile, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { OutputCollector } from '../../../sandbox/output-limit.js';
import { replaceExactlyOnce } from '../../../sandbox/text-edit.js';
import type { CommandOutcome, ToolRunner } from './tool-runner.js';

/** How the host runner is set up. */
export interface HostRunnerOptions {
  /** The working directory; relative paths resolve here. */
  cwd: string;
  /**
   * The environment commands get: the gateway's own minus every secret it holds (model keys,
   * bot tokens), so a stray `env` does not print a key into a chat. It is not a wall: host
   * commands run as the owner and can read the gateway's own environment from /proc; the
   * owner's session is full trust by design.
   */
  env: NodeJS.ProcessEnv;
}

/** The gateway's environment without the variables that hold secrets. */
export function scrubbedEnv(
  env: NodeJS.ProcessEnv,
  secretNames: Iterable<string>,
): NodeJS.ProcessEnv {
  const drop = new Set(secretNames);
  const clean: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(env)) {
    if (drop.has(name) || name.startsWith('CLAWDBOT_')) continue;
    clean[name] = value;
  }
  return clean;
}

/**
 * Runs tools on the host: the owner's `main` session (sandbox mode `non-main`/`off`) and
 * elevated bash. Each command gets its own process group, so a timeout or an abort kills
 * everything it started, not just the shell.
 */
export function hostRunner(options: HostRunnerOptions): ToolRunner {
  const full = (path: string): string => resolve(options.cwd, path);
  return {
    where: 'host',
    async bash(command, { timeoutSec, maxOutputBytes, signal }) {
      await mkdir(options.cwd, { recursive: true, mode: 0o700 });
      return runOnHost(command, { ...options, timeoutSec, maxOutputBytes, signal });
    },
    async read(path, { maxBytes }) {
      const handle = await open(full(path), 'r');
      try {
        const buffer = Buffer.alloc(maxBytes + 1);
        const { bytesRead } = await handle.read(buffer, 0, maxBytes + 1, 0);
        const truncated = bytesRead > maxBytes;
        return {
          text: buffer.subarray(0, Math.min(bytesRead, maxBytes)).toString('utf8'),
          truncated,
        };
      } finally {
        await handle.close();
      }
    },
    async write(path, content) {
      await mkdir(dirname(full(path)), { recursive: true });
      await writeFile(full(path), content);
    },
    async edit(path, oldText, newText) {
      const text = await readFile(full(path), 'utf8');
      await writeFile(full(path), replaceExactlyOnce(text, oldText, newText, path));
    },
  };
}

function runOnHost(
  command: string,
  options: HostRunnerOptions & { timeoutSec: number; maxOutputBytes: number; signal: AbortSignal },
): Promise<CommandOutcome> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn('bash', ['-c', command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = new OutputCollector(options.maxOutputBytes);
    const stderr = new OutputCollector(options.maxOutputBytes);
    let timedOut = false;
    const killGroup = (): void => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    };
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup();
    }, options.timeoutSec * 1000);
    const onAbort = (): void => {
      timedOut = true;
      killGroup();
    };
    options.signal.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => stdout.write(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.write(chunk));
    child.on('error', (error) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      options.signal.removeEventListener('abort', onAbort);
      // Whatever the shell left running in its group dies with it.
      killGroup();
      resolvePromise({
        stdout: stdout.text(),
        stderr: stderr.text(),
        exitCode: code ?? (signal ? 128 + signalNumber(signal) : null),
        timedOut,
      });
    });
  });
}

function signalNumber(signal: NodeJS.Signals): number {
  return signal === 'SIGKILL' ? 9 : signal === 'SIGTERM' ? 15 : 1;
}
