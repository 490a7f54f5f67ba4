import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, copyFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { dockerSocketOptions } from '../../src-main/docker/docker-client.js';
import { SANDBOX_LABEL, SESSION_KEY_LABEL } from '../../src-main/docker/sandbox-labels.js';

/** A Docker client for tests, on the same engine the app uses. */
export function testDockerClient(timeoutMs = 30_000): Docker {
  return new Docker({ ...dockerSocketOptions(), timeout: timeoutMs });
}

/** A tiny image built locally from Debian's busybox-static (no registry is reachable). */
export const TEST_IMAGE = 'clawdbot-test-busybox:latest';
const BUSYBOX = '/bin/busybox';

/**
 * Whether the Docker engine answers. With CLAWDBOT_REQUIRE_DOCKER=1 (CI) an unreachable engine
 * fails the test file instead of skipping it.
 */
export async function dockerAvailable(): Promise<boolean> {
  try {
    await testDockerClient(3000).ping();
    return true;
  } catch (error) {
    if (process.env['CLAWDBOT_REQUIRE_DOCKER'] === '1') {
      throw new Error(`CLAWDBOT_REQUIRE_DOCKER=1 but Docker is not reachable: ${String(error)}`);
    }
    return false;
  }
}

/** Builds the test image with `docker import` of a busybox root filesystem, once. */
export async function ensureTestImage(docker: Docker): Promise<void> {
  try {
    await docker.getImage(TEST_IMAGE).inspect();
    return;
  } catch {
    // Not built yet.
  }
  if (!existsSync(BUSYBOX))
    throw new Error(`${BUSYBOX} is missing: install Debian's busybox-static`);
  const root = mkdtempSync(join(tmpdir(), 'clawdbot-busybox-'));
  try {
    mkdirSync(join(root, 'bin'));
    copyFileSync(BUSYBOX, join(root, 'bin', 'busybox'));
    for (const tool of ['sh', 'sleep', 'true', 'cat', 'ls', 'echo'])
      symlinkSync('busybox', join(root, 'bin', tool));
    const tar = spawn('tar', ['-C', root, '-c', '.'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const [repo, tag] = TEST_IMAGE.split(':');
    const stream = await docker.importImage(tar.stdout, {
      repo,
      tag,
      changes: 'CMD ["/bin/sleep","infinity"]',
    });
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve()));
    });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Starts a sleeping container; labelled as a Clawdbot sandbox unless `labelled` is false. */
export async function startTestContainer(
  docker: Docker,
  name: string,
  labelled = true,
): Promise<Docker.Container> {
  const container = await docker.createContainer({
    name,
    Image: TEST_IMAGE,
    Cmd: ['/bin/sleep', '100000'],
    Labels: labelled ? { [SANDBOX_LABEL]: '1', [SESSION_KEY_LABEL]: `test:${name}` } : {},
    HostConfig: { NetworkMode: 'none', AutoRemove: false },
  });
  await container.start();
  return container;
}

/** Whether a container still exists. */
export async function containerExists(docker: Docker, id: string): Promise<boolean> {
  try {
    await docker.getContainer(id).inspect();
    return true;
  } catch {
    return false;
  }
}
