import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer as createHttpServer, request as httpRequest } from 'node:http';
import { connect, createServer, type Socket } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import {
  SANDBOX_LABEL_FILTER,
  SESSION_KEY_LABEL,
} from '../../src-main/supervisor/sandbox-labels.js';
import { dockerSocketOptions } from '../../src-main/supervisor/docker-client.js';

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
