import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { SANDBOX_LABEL_FILTER } from '../../src-main/docker/sandbox-labels.js';
import { type TestContainerOwner, ensureTestImage, startTestContainer } from './docker.js';
import { waitFor } from './wait.js';

/**
 * A Docker engine of the test's own: a second `dockerd` on its own socket, data root and exec
 * root. Fault tests run here, so a kill switch (which removes every labelled container on its
 * engine) never touches another test's containers, and freezing the engine freezes nobody else.
 */
export interface PrivateDockerEngine {
  /** `unix://…`, for `DOCKER_HOST`. */
  host: string;
  /** Its data root and sockets live under this directory (removed by {@link stop}). */
  base: string;
  docker: Docker;
  /** SIGSTOP: the engine accepts connections but answers nothing, like a hung daemon. */
  freeze(): void;
  /** SIGCONT: it answers again, starting with what queued up meanwhile. */
  thaw(): void;
  /** Labelled sleeping containers of `owner`, as its sandboxes would be. */
  startSandboxes(count: number, prefix: string, owner: TestContainerOwner): Promise<string[]>;
  /** Ids of the labelled containers that still exist, whichever installation's. */
  labelledContainers(): Promise<string[]>;
  /** Copies an image from another engine (`docker save | docker load`: no registry here). */
  copyImageFrom(source: Docker, image: string): Promise<void>;
  stop(): Promise<void>;
}

/** An OCI runtime to register: its executable, or that and arguments the engine passes it. */
export type PrivateEngineRuntime = string | { path: string; runtimeArgs: string[] };

/**
 * Starts a private `dockerd` (root only) with the busybox test image imported. `runtimes` adds
 * OCI runtimes by name: an executable path (`--add-runtime`), e.g. one that refuses to pause, or
 * a path with runtime arguments (written to the engine's own daemon.json, the only place those
 * can go), e.g. gVisor's `runsc` with `--network=none`.
 */
export async function startPrivateDockerEngine(
  options: {
    runtimes?: Record<string, PrivateEngineRuntime>;
    /** More dockerd arguments, e.g. a TLS `-H tcp://127.0.0.1:PORT` listener. */
    extraArgs?: string[];
  } = {},
): Promise<PrivateDockerEngine> {
  // Short paths: containerd's sockets live below the exec root and unix socket paths are short.
  const base = mkdtempSync('/tmp/cbe-');
  const socket = join(base, 'docker.sock');
  mkdirSync(join(base, 'data'));
  mkdirSync(join(base, 'exec'));
  // A bridge of its own: `--bridge none` would make dockerd delete the host's docker0 at start,
  // and with it the default network the main engine's containers (and tests) use.
  const bridge = `cbe${randomBytes(4).toString('hex')}`;
  execFileSync('ip', ['link', 'add', bridge, 'type', 'bridge']);
  execFileSync('ip', ['addr', 'add', `192.168.${randomInt(100, 250)}.1/24`, 'dev', bridge]);
  const daemon: ChildProcess = spawn(
    'dockerd',
    [
      '--host',
      `unix://${socket}`,
      '--data-root',
      join(base, 'data'),
      '--exec-root',
      join(base, 'exec'),
      '--pidfile',
      join(base, 'docker.pid'),
      '--bridge',
      bridge,
      '--iptables=false',
      '--ip6tables=false',
      '--config-file',
      daemonConfig(base, options.runtimes ?? {}),
      ...(options.extraArgs ?? []),
    ],
    { stdio: 'ignore' },
  );
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    daemon.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const docker = new Docker({ socketPath: socket, timeout: 60_000 });
  let frozen = false;
  const engine: PrivateDockerEngine = {
    host: `unix://${socket}`,
    base,
    docker,
    freeze() {
      daemon.kill('SIGSTOP');
      frozen = true;
    },
    thaw() {
      if (frozen) daemon.kill('SIGCONT');
      frozen = false;
    },
    async startSandboxes(count, prefix, owner) {
      const ids: string[] = [];
      // A few at a time: creating dozens at once on two cores only makes each slower.
      for (let i = 0; i < count; i += 4) {
        const batch = Array.from({ length: Math.min(4, count - i) }, (_, j) =>
          startTestContainer(docker, `${prefix}-${i + j}`, owner),
        );
        ids.push(...(await Promise.all(batch)).map((c) => c.id));
      }
      return ids;
    },
    async labelledContainers() {
      const listed = await docker.listContainers({
        all: true,
        filters: { label: [SANDBOX_LABEL_FILTER] },
      });
      return listed.map((c) => c.Id);
    },
    copyImageFrom: (source, image) => copyImage(source, docker, image),
    async stop() {
      engine.thaw();
      if (!exited) {
        const all = await docker.listContainers({ all: true }).catch(() => []);
        await Promise.all(
          all.map((c) =>
            docker
              .getContainer(c.Id)
              .remove({ force: true })
              .catch(() => undefined),
          ),
        );
        daemon.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 20_000))]);
        if (!exited) daemon.kill('SIGKILL');
        await gone;
      }
      removeBridge(bridge);
      // dockerd bind-mounts its data root onto itself; a daemon that had to be killed leaves
      // that mount behind, and the directory cannot be removed under it.
      detachMount(join(base, 'data'));
      rmSync(base, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(
      'the private Docker engine to answer',
      async () => {
        if (exited)
          throw new Error('dockerd exited at start (is this root, with dockerd installed?)');
        return docker.ping().then(
          () => true,
          () => false,
        );
      },
      30_000,
    );
    await ensureTestImage(docker);
  } catch (error) {
    await engine.stop();
    throw error;
  }
  return engine;
}

/**
 * Copies an image from one engine to another (`docker save | docker load`: no registry here);
 * Podman's Docker-compatible API loads it the same way.
 */
export async function copyImage(source: Docker, target: Docker, image: string): Promise<void> {
  const saved = await source.getImage(image).get();
  const loading = await target.loadImage(saved);
  await new Promise<void>((resolve, reject) => {
    target.modem.followProgress(loading, (error) => (error ? reject(error) : resolve()));
  });
  await target.getImage(image).inspect();
}

/** Writes the engine's daemon.json (its runtimes) into `base` and returns its path. */
function daemonConfig(base: string, runtimes: Record<string, PrivateEngineRuntime>): string {
  const file = join(base, 'daemon.json');
  const entries = Object.entries(runtimes).map(
    ([name, runtime]): [string, { path: string; runtimeArgs?: string[] }] => [
      name,
      typeof runtime === 'string' ? { path: runtime } : runtime,
    ],
  );
  // Its own file, always: without --config-file, dockerd would read the host's /etc/docker/daemon.json.
  writeFileSync(file, JSON.stringify({ runtimes: Object.fromEntries(entries) }));
  return file;
}

function removeBridge(name: string): void {
  try {
    execFileSync('ip', ['link', 'del', name], { stdio: 'ignore' });
  } catch {
    // Already gone (the engine may have been killed with the host's help); nothing else holds it.
  }
}

function detachMount(path: string): void {
  try {
    execFileSync('umount', ['--lazy', path], { stdio: 'ignore' });
  } catch {
    // Not mounted: the daemon took its mount down on a clean exit.
  }
}
