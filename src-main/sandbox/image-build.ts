import type Docker from 'dockerode';
import { followBuildProgress } from '../docker/build-progress.js';
import { describeDockerError, dockerEndpoint } from '../docker/docker-errors.js';
import { DEFAULT_SANDBOX_IMAGE } from '../../src-shared/config/sandbox-schema.js';
import { sandboxAssetsDir } from './image-recipe.js';
import { SandboxImageBuildError } from './image-build-error.js';
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
    const context = options.assetsDir ?? sandboxAssetsDir();
    progress(`docker build ${context} -t ${tag}`);
    await dockerBuild(
      options.docker,
      { context, src: ['Dockerfile', 'packages.txt'] },
      tag,
      progress,
    );
  }
  const image = await options.docker.getImage(tag).inspect();
  const durationMs = Math.round(performance.now() - started);
  progress(
    `built ${tag} (${image.Id.slice(7, 19)}, ${Math.round(image.Size / 1e6)} MB) in ${(durationMs / 1000).toFixed(1)} s`,
  );
  return { tag, imageId: image.Id, sizeBytes: image.Size, durationMs };
}

/** What a `docker build` sends: the context directory, the entries of it to send, the Dockerfile. */
export interface DockerBuildContext {
  context: string;
  src: string[];
  /** Relative to the context (default `Dockerfile`). */
  dockerfile?: string;
  /** The command that builds without a registry, named when the engine cannot pull. */
  offlineCommand?: string;
}

/**
 * `docker build` through the API with each line of the engine's output passed to `progress`;
 * a failure (a pull with no registry reachable, a failed RUN) is a {@link SandboxImageBuildError}
 * that names the offline command when the registry looks like the cause.
 */
export async function dockerBuild(
  docker: Docker,
  build: DockerBuildContext,
  tag: string,
  progress: (line: string) => void,
): Promise<void> {
  let stream: NodeJS.ReadableStream;
  try {
    stream = await docker.buildImage(
      { context: build.context, src: build.src },
      {
        t: tag,
        rm: true,
        forcerm: true,
        ...(build.dockerfile ? { dockerfile: build.dockerfile } : {}),
      },
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
    const offline = build.offlineCommand ?? 'clawdbot sandbox image build --offline';
    const hint = /pull|registry|manifest|dial tcp|lookup|TLS|timeout/i.test(message)
      ? ` (no registry reachable? run ${offline})`
      : '';
    throw new SandboxImageBuildError(`docker build failed: ${message}${hint}`);
  });
  lines.flush();
}
