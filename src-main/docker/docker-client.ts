import type Docker from 'dockerode';
import type { EngineConfig } from '../../src-shared/config/engine-schema.js';
import { type EngineTarget, resolveEngine } from './engine-target.js';

/**
 * Connects a Docker API client to the sandbox engine: `agent.sandbox.engine` when given, else
 * `DOCKER_HOST` (with its TLS variables), else the local socket (see engine-target.ts, the one
 * place an engine is resolved). dockerode is loaded on first use: it is the slowest module to
 * load, and `clawdbot kill` must not wait for it before killing the gateway. Calls time out so
 * an unresponsive engine cannot hold up the kill switch.
 */
export async function connectDocker(
  timeoutMs = DOCKER_REMOVE_TIMEOUT_MS,
  target: EngineTarget = resolveEngine(undefined),
): Promise<Docker> {
  const { default: DockerClient } = await import('dockerode');
  return dockerFor(DockerClient, target, timeoutMs);
}

/** {@link connectDocker} for a setting: resolves it (an `EngineConfigError` names a bad field). */
export async function connectConfiguredDocker(
  engine: EngineConfig | undefined,
  timeoutMs = DOCKER_REMOVE_TIMEOUT_MS,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Docker> {
  return connectDocker(timeoutMs, resolveEngine(engine, env));
}

/**
 * Per-request timeout for the kill switch's removals: the engine needs about 50 ms per container
 * on a small machine, so a hundred sandboxes legitimately take seconds. Reaching the engine at
 * all is checked with a much shorter deadline (see sandbox-reaper).
 */
export const DOCKER_REMOVE_TIMEOUT_MS = 60_000;

const endpoints = new WeakMap<object, string>();

/** A client of `target` made with an already loaded dockerode (for synchronous constructors). */
export function dockerFor(
  DockerClient: typeof Docker,
  target: EngineTarget,
  timeoutMs?: number,
): Docker {
  const docker = new DockerClient({
    ...engineDockerOptions(target),
    ...(timeoutMs !== undefined ? { timeout: timeoutMs } : {}),
  });
  // A socket is named by its path in messages (as before engines could be configured).
  const { connection } = target;
  endpoints.set(docker, connection.kind === 'socket' ? connection.socketPath : target.endpoint);
  return docker;
}

/** The engine endpoint a client made here talks to (`tcp://…`, `ssh://…`), if made here. */
export function clientEndpoint(docker: Docker): string | undefined {
  return endpoints.get(docker);
}

/** dockerode's options for an engine: a socket, or host and port with the agent that connects. */
export function engineDockerOptions(target: EngineTarget): Docker.DockerOptions {
  const { connection } = target;
  switch (connection.kind) {
    case 'socket':
      return { socketPath: connection.socketPath };
    case 'agent':
      return {
        protocol: connection.protocol,
        host: connection.host,
        port: connection.port,
        // docker-modem hands it to node:http(s): TLS material, or the one SSH connection.
        agent: connection.agent,
      } as Docker.DockerOptions;
    default: {
      const never: never = connection;
      throw new Error(`unknown engine connection ${String(never)}`);
    }
  }
}

/**
 * dockerode's options for the engine the environment names (`DOCKER_HOST` and its TLS
 * variables, or the local socket), for code with no config at hand (tests, benches).
 */
export function dockerSocketOptions(env: NodeJS.ProcessEnv = process.env): Docker.DockerOptions {
  return engineDockerOptions(resolveEngine(undefined, env));
}
