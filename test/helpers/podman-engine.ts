import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import Docker from 'dockerode';
import { copyImage } from './private-docker-engine.js';
import { waitFor } from './wait.js';

/** Debian's Podman (`apt-get install podman catatonit`). */
export const PODMAN = '/usr/bin/podman';

/** Why Podman cannot run here (missing packages), or null when it can. */
export function podmanMissing(): string | null {
  if (!existsSync(PODMAN)) return `${PODMAN} is missing: apt-get install -y podman catatonit`;
  // Podman's --init (the sandbox's init process) is catatonit.
  if (!existsSync('/usr/libexec/podman/catatonit'))
    return 'catatonit is missing (Podman runs it as the init process): apt-get install -y catatonit';
  return null;
}

/**
 * A Podman service of the test's own (`podman system service`, rootful), reached through its
 * Docker-compatible API like any Docker engine: storage, run state and temp files in a directory
 * of its own, so it never touches another Podman's containers or images.
 */
export interface PodmanEngine {
  /** `unix://…`, for `DOCKER_HOST`. */
  host: string;
  docker: Docker;
  /** Copies an image from a Docker engine (`docker save | podman load`: no registry here). */
  copyImageFrom(source: Docker, image: string): Promise<void>;
  /** Removes every container and volume, stops the service, deletes its storage. */
  stop(): Promise<void>;
}

/** Starts the Podman service on a socket of its own and waits until it answers. */
export async function startPodmanEngine(): Promise<PodmanEngine> {
  const base = mkdtempSync('/tmp/cbp-');
  const socket = join(base, 'podman.sock');
  const global = [
    '--root',
    join(base, 'root'),
    '--runroot',
    join(base, 'run'),
    '--tmpdir',
    join(base, 'tmp'),
    '--volumepath',
    join(base, 'volumes'),
    '--cgroup-manager',
    'cgroupfs',
    '--events-backend',
    'file',
  ];
  const service: ChildProcess = spawn(
    PODMAN,
    [...global, 'system', 'service', '--time=0', `unix://${socket}`],
    // Its own directory as the working directory: conmon writes an `oom` file into its working
    // directory when a container's process is killed for memory.
    { stdio: 'ignore', cwd: base },
  );
  let exited = false;
  const gone = new Promise<void>((resolve) =>
    service.once('exit', () => {
      exited = true;
      resolve();
    }),
  );
  const docker = new Docker({ socketPath: socket, timeout: 120_000 });
  const engine: PodmanEngine = {
    host: `unix://${socket}`,
    docker,
    copyImageFrom: (source, image) => copyImage(source, docker, image),
    async stop() {
      if (!exited) {
        // Podman's containers outlive its service (each has its own conmon): remove them first.
        const all = await docker.listContainers({ all: true }).catch(() => []);
        await Promise.all(
          all.map((c) =>
            docker
              .getContainer(c.Id)
              .remove({ force: true, v: true })
              .catch(() => undefined),
          ),
        );
        const { Volumes: volumes } = await docker
          .listVolumes()
          .catch(() => ({ Volumes: [] as Docker.VolumeInspectInfo[] }));
        await Promise.all(
          (volumes ?? []).map((v) =>
            docker
              .getVolume(v.Name)
              .remove({ force: true })
              .catch(() => undefined),
          ),
        );
        service.kill('SIGTERM');
        await Promise.race([gone, new Promise((r) => setTimeout(r, 20_000))]);
        if (!exited) service.kill('SIGKILL');
        await gone;
      }
      // conmon outlives each exec by minutes (--exit-delay) and then runs `podman container
      // cleanup`, which mounts the store again: this engine's conmons go first (each names the
      // engine's own directory), then its storage mounts, then the directory.
      for (const pid of processesNaming(base)) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // Gone meanwhile.
        }
      }
      for (const mount of mountsUnder(base)) {
        try {
          execFileSync('umount', ['--lazy', mount], { stdio: 'ignore' });
        } catch {
          // Already gone with its parent.
        }
      }
      rmSync(base, { recursive: true, force: true });
    },
  };
  try {
    await waitFor(
      'the Podman service to answer',
      async () => {
        if (exited) throw new Error('podman system service exited at start (is this root?)');
        return docker.ping().then(
          () => true,
          () => false,
        );
      },
      30_000,
    );
  } catch (error) {
    await engine.stop();
    throw error;
  }
  return engine;
}

/** Processes whose command line names `dir` (this engine's conmons), by pid. */
function processesNaming(dir: string): number[] {
  return readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry) && Number(entry) !== process.pid)
    .filter((entry) => {
      try {
        return readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(`${dir}/`);
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Mount points below `dir`, deepest first. */
function mountsUnder(dir: string): string[] {
  return readFileSync('/proc/self/mounts', 'utf8')
    .split('\n')
    .map((line) => line.split(' ')[1] ?? '')
    .filter((path) => path.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
}
