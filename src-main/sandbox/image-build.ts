import type Docker from 'dockerode';
import { describeDockerError } from '../supervisor/sandbox-reaper.js';
import { DEFAULT_SANDBOX_IMAGE } from '../../src-shared/config/sandbox-schema.js';
import { dockerEndpoint } from './docker-failures.js';
import { sandboxAssetsDir } from './image-recipe.js';
import { LineSplitter } from './line-progress.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { findExecutable, SBIN_DIRS } from '../process/find-executable.js';

/** How `clawdbot sandbox image build` builds. */
export interface SandboxImageBuildOptions {
  /** The engine to build on. */
  docker: Docker;
  /** debootstrap + `docker import` instead of `docker build` (no registry needed). */
  offline: boolean;
  /** The tag (default `clawdbot-sandbox:bookworm`). */
  tag?: string;
  /** Offline: the Debian mirror (default: the host's apt mirror, else deb.debian.org). */
  mirror?: string;
  /** Where the Dockerfile and packages.txt are (default: assets/sandbox). */
  assetsDir?: string;
  /** Called with each line of progress. */
  onProgress?: (line: string) => void;
}

/** The built image. */
export interface SandboxImageBuildResult {
  tag: string;
  imageId: string;
  sizeBytes: number;
  durationMs: number;
}

/**
 * Whether the offline build can run here: Linux, root (debootstrap makes device nodes and
 * root-owned files) and Debian's debootstrap installed. Where it can, it needs no registry.
 */
export function offlineBuildAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  return (
    process.platform === 'linux' &&
    process.getuid?.() === 0 &&
    findExecutable('debootstrap', env, SBIN_DIRS) !== null
  );
}

/** The image build failed; the message says what to do about it. */
export class SandboxImageBuildError extends Error {
  override readonly name = 'SandboxImageBuildError';
}

/**
 * Builds the sandbox image. Online: `docker build` of assets/sandbox through the Docker API
 * (the engine pulls debian:bookworm-slim). Offline: see `buildSandboxImageOffline`.
 */
export async function buildSandboxImage(
  options: SandboxImageBuildOptions,
): Promise<SandboxImageBuildResult> {
  const started = performance.now();
  const tag = options.tag ?? DEFAULT_SANDBOX_IMAGE;
  const progress = options.onProgress ?? (() => undefined);
  try {
    await options.docker.ping();
  } catch (error) {
    throw new SandboxImageBuildError(
      `Docker is not reachable at ${dockerEndpoint(options.docker)}: ${describeDockerError(error)}`,
    );
  }
  if (options.offline) {
    const { buildSandboxImageOffline } = await import('./image-build-offline.js');
    await buildSandboxImageOffline({ ...options, tag, onProgress: progress });
  } else {
    await dockerBuild(options.docker, options.assetsDir ?? sandboxAssetsDir(), tag, progress);
  }
  const image = await options.docker.getImage(tag).inspect();
  const durationMs = Math.round(performance.now() - started);
  progress(
    `built ${tag} (${image.Id.slice(7, 19)}, ${Math.round(image.Size / 1e6)} MB) in ${(durationMs / 1000).toFixed(1)} s`,
  );
  return { tag, imageId: image.Id, sizeBytes: image.Size, durationMs };
}

async function dockerBuild(
  docker: Docker,
  assetsDir: string,
  tag: string,
  progress: (line: string) => void,
): Promise<void> {
  progress(`docker build ${assetsDir} -t ${tag}`);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage(
      { context: assetsDir, src: ['Dockerfile', 'packages.txt'] },
      { t: tag, rm: true, forcerm: true },
    );
  } catch (error) {
    throw new SandboxImageBuildError(`docker build failed: ${describeDockerError(error)}`);
  }
  const lines = new LineSplitter(progress);
  await followBuildProgress(docker, stream, (event) => {
    if (typeof event.stream === 'string') lines.push(event.stream);
    else if (typeof event.status === 'string') {
      progress([event.status, event.id, event.progress].filter(Boolean).join(' '));
    }
  }).catch((error: unknown) => {
    lines.flush();
    const message = describeError(error);
    const hint = /pull|registry|manifest|dial tcp|lookup|TLS|timeout/i.test(message)
      ? ' (no registry reachable? run clawdbot sandbox image build --offline)'
      : '';
    throw new SandboxImageBuildError(`docker build failed: ${message}${hint}`);
  });
  lines.flush();
}

/** One JSON message of the engine's build or import progress stream. */
export interface DockerProgressEvent {
  stream?: string;
  status?: string;
  id?: string;
  progress?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Follows a build/import progress stream; rejects on the first error message in it. */
export function followBuildProgress(
  docker: Docker,
  stream: NodeJS.ReadableStream,
  onEvent: (event: DockerProgressEvent) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let failure: string | undefined;
    docker.modem.followProgress(
      stream,
      (error: Error | null) => {
        if (error) reject(error);
        else if (failure !== undefined) reject(new Error(failure));
        else resolve();
      },
      (event: DockerProgressEvent) => {
        const message = event.errorDetail?.message ?? event.error;
        if (message !== undefined) failure ??= message;
        else onEvent(event);
      },
    );
  });
}
