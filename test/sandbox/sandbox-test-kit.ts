import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll } from 'vitest';
import { SANDBOX_LABEL_FILTER, SESSION_KEY_LABEL } from '../../src-main/docker/sandbox-labels.js';
import { dockerSocketOptions } from '../../src-main/docker/docker-client.js';
import { createLogger, type Logger } from '../../src-main/logging/logger.js';
import {
  SandboxManager,
  type SandboxManagerOptions,
} from '../../src-main/sandbox/sandbox-manager.js';
import { testDockerClient } from '../helpers/docker.js';
import { SANDBOX_IMAGE_BUILD_TIMEOUT_MS, ensureSandboxImage } from '../helpers/sandbox-image.js';

/**
 * Session keys unique to one test file's run, so its containers are told apart from those of
 * other runs on the same engine (and removed by {@link removeRunSandboxes}).
 */
export function testRunTag(file: string): string {
  return `${file}-${randomBytes(4).toString('hex')}`;
}

/** Removes every sandbox container whose session key contains the run tag. */
export async function removeRunSandboxes(docker: Docker, runTag: string): Promise<void> {
  const listed = await docker.listContainers({
    all: true,
    filters: { label: [SANDBOX_LABEL_FILTER] },
  });
  await Promise.all(
    listed
      .filter((c) => (c.Labels[SESSION_KEY_LABEL] ?? '').includes(runTag))
      .map((c) =>
        docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined),
      ),
  );
}

/** Where test managers log housekeeping failures: stderr, so none goes unseen. */
export const sandboxTestLog: Logger = createLogger({ process: 'test', scope: 'sandbox' });

/** What {@link useSandboxRun} gives a test file. */
export interface SandboxRun {
  /** The test engine's client, with no client-wide timeout (a cold start takes a while). */
  docker: Docker;
  /** This run's tag: in every session key, so the cleanup removes exactly these containers. */
  run: string;
  /** The file's scratch directory, removed after its last test. */
  dir: string;
  /** A manager on the test engine with state under `dir/state` (unless `stateDir` is given). */
  manager(options?: Partial<SandboxManagerOptions>): SandboxManager;
}

/**
 * The set-up every sandbox test file shares, as hooks of the calling `describe`: the sandbox
 * image built (or found) before the first test, and after the last every container of the run
 * removed and the scratch directory deleted. Hooks the file adds run after these before its
 * tests, and before them after (vitest's default order).
 */
export function useSandboxRun(tag: string): SandboxRun {
  const docker = testDockerClient(0);
  const run = testRunTag(tag);
  const state = scratchDir(`sandbox-${tag}`);
  beforeAll(() => ensureSandboxImage(docker), SANDBOX_IMAGE_BUILD_TIMEOUT_MS);
  afterAll(async () => {
    await removeRunSandboxes(docker, run);
    state.remove();
  });
  return {
    docker,
    run,
    dir: state.dir,
    manager: (options = {}) =>
      new SandboxManager({
        stateDir: join(state.dir, 'state'),
        docker,
        log: sandboxTestLog,
        ...options,
      }),
  };
}

/** A scratch directory removed by the returned function. */
export function scratchDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `clawdbot-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The host's address on Docker's default bridge (docker0): what a container on the bridge
 * network would reach the host at. Used to prove `network: none` cuts exactly this path.
 */
export async function dockerBridgeGateway(docker: Docker): Promise<string> {
  const docker0 = networkInterfaces()['docker0']?.find((a) => a.family === 'IPv4');
  if (docker0) return docker0.address;
  const bridge = await docker.getNetwork('bridge').inspect();
  const gateway = (bridge as { IPAM?: { Config?: { Gateway?: string }[] } }).IPAM?.Config?.[0]
    ?.Gateway;
  return gateway ?? '172.17.0.1';
}

/**
 * A socket in front of the real engine that a test can "stop" like a Docker daemon going
 * away: new connections fail and open ones are cut. `stop` resolves once the socket is closed
 * (its path gone) and every open connection was cut, so what follows meets a dead engine.
 */
export async function stoppableDockerProxy(
  dir: string,
): Promise<{ docker: Docker; stop: () => Promise<void> }> {
  const path = join(dir, 'docker.sock');
  const upstream = dockerSocketOptions().socketPath ?? '/var/run/docker.sock';
  const open = new Set<Socket>();
  const server = createServer((client) => {
    const conn = connect(upstream);
    open.add(client).add(conn);
    client.pipe(conn).pipe(client);
    const close = (): void => {
      client.destroy();
      conn.destroy();
    };
    client.on('error', close).on('close', close);
    conn.on('error', close).on('close', close);
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const { default: DockerClient } = await import('dockerode');
  return {
    docker: new DockerClient({ socketPath: path }),
    stop: () => {
      // Stopping twice (a test, then its cleanup) finds the server closed already: done.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of open) socket.destroy();
      return closed;
    },
  };
}

/**
 * An HTTP proxy in front of the real engine that answers the requests `refuse` picks with a
 * 500 and the message it returns, as an engine that cannot do something would, and forwards
 * the rest. Plain requests only (no hijacked exec streams): enough to reach a refusal.
 */
export async function refusingDockerProxy(
  dir: string,
  refuse: (method: string, path: string, body: string) => string | null,
): Promise<{ docker: Docker; stop: () => void }> {
  const path = join(dir, `refusing-${randomBytes(4).toString('hex')}.sock`);
  const upstream = dockerSocketOptions().socketPath ?? '/var/run/docker.sock';
  const server = createHttpServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const refusal = refuse(req.method ?? 'GET', req.url ?? '/', body.toString('utf8'));
      if (refusal !== null) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ message: refusal }));
        return;
      }
      const forward = httpRequest(
        { socketPath: upstream, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(path, resolve));
  const { default: DockerClient } = await import('dockerode');
  return {
    docker: new DockerClient({ socketPath: path }),
    stop: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
