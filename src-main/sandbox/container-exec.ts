import type { Duplex } from 'node:stream';
import type Docker from 'dockerode';
import { ExecStreamDemuxer } from './exec-demux.js';
import { SANDBOX_WORKDIR } from './image-recipe.js';
import { OutputCollector } from './output-limit.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** One process to run inside a container through the Docker API. */
export interface ContainerExecRequest {
  /** argv; no shell unless the caller puts one there. */
  cmd: string[];
  /** Numeric `uid:gid`. */
  user: string;
  /** The complete environment, `KEY=value`. */
  env: string[];
  /** Bytes for the process's stdin, which is closed after them. */
  stdin?: Buffer;
  /** How long the host waits before giving up on the stream (the process is killed in-container). */
  waitMs: number;
  /** Cap on each of stdout and stderr; the middle is dropped beyond it. */
  maxOutputBytes: number;
  /** Stops waiting early (e.g. the owner cancelled the run). */
  signal?: AbortSignal;
}

/** What came back from a process run with {@link runContainerExec}. */
export interface ContainerExecOutcome {
  stdout: OutputCollector;
  stderr: OutputCollector;
  /** The exit code, or null if the host stopped waiting before the process ended. */
  exitCode: number | null;
  /** The host stopped waiting (its deadline passed or the signal fired). */
  abandoned: boolean;
  durationMs: number;
}

/** Thrown when the exec could not even be created or started, so the command never ran. */
export class ExecNotStartedError extends Error {
  override readonly name = 'ExecNotStartedError';
  constructor(cause: unknown) {
    super(describeError(cause), { cause });
  }
}

/**
 * Runs a process inside a running container: `exec` create, `start` (hijacked, so stdin can be
 * streamed and half-closed), the multiplexed output split into stdout and stderr (without
 * copying, see exec-demux.ts), and the exit code from `exec inspect`. Only the Docker API is used, never the `docker` CLI. Creation or
 * start failures throw {@link ExecNotStartedError} (safe to retry: nothing ran); failures
 * after that throw the underlying error.
 */
export async function runContainerExec(
  container: Docker.Container,
  request: ContainerExecRequest,
): Promise<ContainerExecOutcome> {
  const started = performance.now();
  let exec: Docker.Exec;
  let stream: Duplex;
  try {
    exec = await container.exec({
      Cmd: request.cmd,
      AttachStdin: request.stdin !== undefined,
      AttachStdout: true,
      AttachStderr: true,
      Tty: false,
      User: request.user,
      WorkingDir: SANDBOX_WORKDIR,
      Env: request.env,
      Privileged: false,
    });
    stream = await exec.start({ hijack: true, stdin: request.stdin !== undefined });
  } catch (error) {
    throw new ExecNotStartedError(error);
  }

  const stdout = new OutputCollector(request.maxOutputBytes);
  const stderr = new OutputCollector(request.maxOutputBytes);
  const demuxer = new ExecStreamDemuxer(
    (chunk) => stdout.write(chunk),
    (chunk) => stderr.write(chunk),
  );
  stream.on('data', (chunk: Buffer) => demuxer.push(chunk));

  const abandoned = await new Promise<boolean>((resolve, reject) => {
    let settled = false;
    const finish = (result: boolean, error?: unknown): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.signal?.removeEventListener('abort', onAbort);
      if (error !== undefined) {
        reject(
          error instanceof Error ? error : new Error('the exec stream failed', { cause: error }),
        );
      } else resolve(result);
    };
    const giveUp = (): void => {
      // Stop reading; the process itself is bounded by `timeout` inside the container.
      stream.destroy();
      finish(true);
    };
    const onAbort = (): void => giveUp();
    const timer = setTimeout(giveUp, request.waitMs);
    request.signal?.addEventListener('abort', onAbort, { once: true });
    if (request.signal?.aborted) giveUp();
    stream.on('end', () => finish(false));
    stream.on('close', () => finish(false));
    stream.on('error', (error) => finish(false, error));
    if (request.stdin !== undefined) {
      stream.write(request.stdin);
      // Half-close: the process sees EOF on stdin while its output keeps flowing back.
      stream.end();
    }
  });

  const exitCode = abandoned ? null : await exitCodeOf(exec);
  return { stdout, stderr, exitCode, abandoned, durationMs: performance.now() - started };
}

// The stream can end a moment before the engine records the exit (the process's pipes close
// just before it is reaped): poll briefly for it, soon at first, then less often, about 1 s in all.
async function exitCodeOf(exec: Docker.Exec): Promise<number | null> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const info = await exec.inspect();
    if (!info.Running) return info.ExitCode;
    await new Promise((resolve) => setTimeout(resolve, Math.min(1 + attempt, 20)));
  }
  return null;
}
