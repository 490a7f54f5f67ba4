import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type Docker from 'dockerode';
import { DOCKER_REMOVE_TIMEOUT_MS } from './docker-client.js';
import type { EngineTarget } from './engine-target.js';

/** The calls the kill switch makes on one sandbox container (a subset of dockerode's). */
export interface KillEngineContainer {
  pause(options: { abortSignal?: AbortSignal }): Promise<unknown>;
  kill(options: { signal: string; abortSignal?: AbortSignal }): Promise<unknown>;
  wait(options: {
    condition: 'not-running' | 'removed';
    abortSignal?: AbortSignal;
  }): Promise<unknown>;
  remove(options: { force: boolean; v: boolean; abortSignal?: AbortSignal }): Promise<unknown>;
  inspect(options: {
    abortSignal?: AbortSignal;
  }): Promise<{ State: { Running: boolean; Paused: boolean; Status: string } }>;
}

/**
 * The Docker Engine API calls the kill switch makes: listing the sandboxes, then pausing,
 * killing, waiting for and removing them. dockerode's client has them; so does
 * {@link connectKillEngine}'s, which `clawdbot kill` uses because it loads in a fraction of the
 * time.
 */
export interface KillEngine {
  listContainers(options: {
    all: boolean;
    filters: { label: string[] };
    abortSignal?: AbortSignal;
  }): Promise<Docker.ContainerInfo[]>;
  getContainer(id: string): KillEngineContainer;
}

/** An engine's refusal, shaped as dockerode's (statusCode, json.message), so one describer fits. */
class EngineError extends Error {
  constructor(
    readonly statusCode: number,
    readonly json: { message?: string } | null,
  ) {
    super(`(HTTP code ${statusCode}) ${json?.message ?? 'no message'}`);
  }
}

/**
 * One Docker Engine API request over `node:http` (or `https`, or the engine's SSH connection)
 * to `target`: the JSON answer, or an error shaped as dockerode's. Bounded by `signal` or,
 * without one, by the kill switch's removal timeout. For callers that must not wait for
 * dockerode to load (see {@link connectKillEngine}).
 */
export function engineRequest<T>(
  target: EngineTarget,
  method: 'GET' | 'POST' | 'DELETE',
  path: string,
  query: Record<string, string>,
  signal: AbortSignal | undefined,
): Promise<T> {
  const search = new URLSearchParams(query).toString();
  const { connection } = target;
  const request =
    connection.kind === 'agent' && connection.protocol === 'https' ? httpsRequest : httpRequest;
  return new Promise<T>((resolve, reject) => {
    const req = request(
      {
        ...(connection.kind === 'socket'
          ? { socketPath: connection.socketPath }
          : { host: connection.host, port: connection.port, agent: connection.agent }),
        method,
        path: search ? `${path}?${search}` : path,
        // Over a socket any Host will do; over TCP node's default (host:port) is what TLS checks.
        ...(connection.kind === 'socket' ? { headers: { host: 'docker' } } : {}),
        signal: signal ?? AbortSignal.timeout(DOCKER_REMOVE_TIMEOUT_MS),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const json = parseJson(text);
          const status = res.statusCode ?? 0;
          if (status >= 200 && status < 300) resolve(json as T);
          else
            reject(
              new EngineError(
                status,
                isRecord(json) ? json : { message: text.trim() || undefined },
              ),
            );
        });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/**
 * A client for just the kill switch's calls ({@link engineRequest} each). `clawdbot kill` starts
 * with no Docker client loaded, and dockerode (with gRPC, protobuf, ssh2 and tar) takes 0.3–0.5 s
 * to import on a busy two-core machine: longer than freezing twenty sandboxes. These six
 * requests need none of that.
 */
export function connectKillEngine(target: EngineTarget): KillEngine {
  const call = <T>(
    method: 'GET' | 'POST' | 'DELETE',
    path: string,
    query: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<T> => engineRequest<T>(target, method, path, query, signal);
  const containerPath = (id: string, action = ''): string =>
    `/containers/${encodeURIComponent(id)}${action}`;
  return {
    listContainers: ({ all, filters, abortSignal }) =>
      call(
        'GET',
        '/containers/json',
        { all: String(all), filters: JSON.stringify(filters) },
        abortSignal,
      ),
    getContainer: (id) => ({
      pause: ({ abortSignal }) => call('POST', containerPath(id, '/pause'), {}, abortSignal),
      kill: ({ signal, abortSignal }) =>
        call('POST', containerPath(id, '/kill'), { signal }, abortSignal),
      wait: ({ condition, abortSignal }) =>
        call('POST', containerPath(id, '/wait'), { condition }, abortSignal),
      remove: ({ force, v, abortSignal }) =>
        call('DELETE', containerPath(id), { force: String(force), v: String(v) }, abortSignal),
      inspect: ({ abortSignal }) => call('GET', containerPath(id, '/json'), {}, abortSignal),
    }),
  };
}

function parseJson(text: string): unknown {
  if (text === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function isRecord(value: unknown): value is { message?: string } {
  return typeof value === 'object' && value !== null;
}
