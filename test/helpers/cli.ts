import { spawn, type ChildProcess } from 'node:child_process';
import { cliBin } from './paths.js';
import { waitFor } from './wait.js';

/** What a finished CLI run printed and returned. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Runs the built `clawdbot` command with `env` added, to completion; `wrapper` runs it through
 * another program first (e.g. `setpriv …` to run it as another user).
 */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
  wrapper: string[] = [],
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const [file, ...prefix] = [...wrapper, process.execPath];
    const child = spawn(file, [...prefix, cliBin, ...args], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
    child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(
          `clawdbot ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stdout}\n${stderr}`,
        ),
      );
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** A long-running CLI process (e.g. `supervise`), with its output so far. */
export interface CliProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first stdout match of `pattern`. */
  waitForOutput(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/** Starts the built `clawdbot` command in the background. */
export function startCli(args: string[], env: NodeJS.ProcessEnv): CliProcess {
  const child = spawn(process.execPath, [cliBin, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.setEncoding('utf8').on('data', (t: string) => (out += t));
  child.stderr?.setEncoding('utf8').on('data', (t: string) => (out += t));
  return {
    child,
    output: () => out,
    waitForOutput(pattern, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const match = pattern.exec(out);
          if (match) resolve(match);
          return match !== null;
        };
        if (check()) return;
        const onData = (): void => {
          if (check()) cleanup();
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no output matching ${pattern} within ${timeoutMs} ms; got:\n${out}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          child.stdout?.off('data', onData);
          child.stderr?.off('data', onData);
        };
        child.stdout?.on('data', onData);
        child.stderr?.on('data', onData);
      });
    },
    stop() {
      return new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('close', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
      });
    },
  };
}

/** Waits until `clawdbot status` says the gateway runs (under the supervisor the env names). */
export async function waitForRunningGateway(env: NodeJS.ProcessEnv): Promise<void> {
  await waitFor('the supervised gateway', async () => {
    const status = await runCli(['status', '--json'], env);
    return (JSON.parse(status.stdout) as { gateway: { state: string } }).gateway.state === 'running'
      ? true
      : null;
  });
}
