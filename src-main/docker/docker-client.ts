import type Docker from 'dockerode';

/**
 * Connects a Docker API client to the local engine (`DOCKER_HOST` if set, else the default
 * socket). dockerode is loaded on first use: it is the slowest module to load, and
 * `clawdbot kill` must not wait for it before killing the gateway. Calls time out so an
 * unresponsive engine cannot hold up the kill switch.
 */
export async function connectDocker(
  timeoutMs = DOCKER_REMOVE_TIMEOUT_MS,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Docker> {
  const { default: DockerClient } = await import('dockerode');
  return new DockerClient({ ...dockerSocketOptions(env), timeout: timeoutMs });
}

/**
 * Per-request timeout for the kill switch's removals: the engine needs about 50 ms per container
 * on a small machine, so a hundred sandboxes legitimately take seconds. Reaching the engine at
 * all is checked with a much shorter deadline (see sandbox-reaper).
 */
export const DOCKER_REMOVE_TIMEOUT_MS = 60_000;

/** Where the Docker engine listens, from `DOCKER_HOST` or the platform default. */
export function dockerSocketOptions(env: NodeJS.ProcessEnv = process.env): Docker.DockerOptions {
  const host = env['DOCKER_HOST'];
  if (host?.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  if (host) {
    const url = new URL(host.replace(/^tcp:/, 'http:'));
    return { host: url.hostname, port: Number(url.port || 2375) };
  }
  return process.platform === 'win32'
    ? { socketPath: '//./pipe/docker_engine' }
    : { socketPath: '/var/run/docker.sock' };
}
