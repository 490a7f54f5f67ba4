import { spawn, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Docker from 'dockerode';
import { dockerSocketOptions } from '../../src-main/docker/docker-client.js';
import {
  INSTALLATION_LABEL,
  SANDBOX_LABEL,
  SESSION_KEY_LABEL,
} from '../../src-main/docker/sandbox-labels.js';
import { findExecutable } from '../../src-main/process/find-executable.js';

/** A Docker client for tests, on the same engine the app uses. */
export function testDockerClient(timeoutMs = 30_000): Docker {
  return new Docker({ ...dockerSocketOptions(), timeout: timeoutMs });
}

/** A tiny image built locally from the host's own programs (no registry is reachable). */
export const TEST_IMAGE = 'clawdbot-test-busybox:latest';
const BUSYBOX = '/bin/busybox';
/** What the tests run in the test image. */
const TOOLS = ['sh', 'sleep', 'true', 'cat', 'ls', 'echo'];

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

/** The shared libraries a program loads, as `ldd` names them (none for a static binary). */
function libraries(binary: string): string[] {
  const ldd = spawnSync('ldd', [binary], { encoding: 'utf8' });
  if (ldd.status !== 0) return [];
  return ldd.stdout
    .split('\n')
    .map((line) => /(?:=>\s*)?(\/\S+)\s+\(0x/.exec(line)?.[1])
    .filter((path): path is string => path !== undefined);
}

/** Copies a host file into the root filesystem at the same path, keeping it executable. */
function copyIn(root: string, source: string, target = source): void {
  mkdirSync(join(root, dirname(target)), { recursive: true });
  copyFileSync(realpathSync(source), join(root, target));
  chmodSync(join(root, target), 0o755);
}

/**
 * The test image's root filesystem: Debian's busybox-static when installed (one static file),
 * otherwise the host's own sh and coreutils with the libraries they load, so a machine without
 * busybox-static still gets its image without root and without a registry.
 */
export function testRootfs(root: string, busybox = BUSYBOX): void {
  mkdirSync(join(root, 'bin'));
  if (existsSync(busybox)) {
    copyIn(root, busybox, '/bin/busybox');
    for (const lib of libraries(busybox)) copyIn(root, lib);
    for (const tool of TOOLS) symlinkSync('busybox', join(root, 'bin', tool));
    return;
  }
  for (const tool of TOOLS) {
    const binary = findExecutable(tool);
    if (!binary) throw new Error(`${tool} is not on PATH: it is needed for the test image`);
    copyIn(root, binary, `/bin/${tool}`);
    for (const lib of libraries(binary)) copyIn(root, lib);
  }
}

/** Builds the test image with `docker import` of a small root filesystem, once per engine. */
export async function ensureTestImage(docker: Docker): Promise<void> {
  try {
    await docker.getImage(TEST_IMAGE).inspect();
    return;
  } catch {
    // Not built yet.
  }
  const root = mkdtempSync(join(tmpdir(), 'clawdbot-busybox-'));
  try {
    testRootfs(root);
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

/**
 * Whose a test container is: an installation's sandbox (labelled with its id, as the sandbox
 * manager labels them: pass `installationId(stateDir)` of the state directory whose kill switch
 * is expected to remove it), a legacy sandbox (labelled as before installations existed: every
 * installation's kill switch removes those, so only a private engine should hold one), or no
 * sandbox at all.
 */
export type TestContainerOwner = { installationId: string } | 'legacy' | 'not-a-sandbox';

/** The labels of a test container of `owner`. */
export function testContainerLabels(
  owner: TestContainerOwner,
  name: string,
): Record<string, string> {
  if (owner === 'not-a-sandbox') return {};
  const labels = { [SANDBOX_LABEL]: '1', [SESSION_KEY_LABEL]: `test:${name}` };
  return owner === 'legacy' ? labels : { ...labels, [INSTALLATION_LABEL]: owner.installationId };
}

/** Starts a sleeping container, labelled as `owner`'s sandbox (see {@link TestContainerOwner}). */
export async function startTestContainer(
  docker: Docker,
  name: string,
  owner: TestContainerOwner,
): Promise<Docker.Container> {
  const container = await docker.createContainer({
    name,
    Image: TEST_IMAGE,
    Cmd: ['/bin/sleep', '100000'],
    Labels: testContainerLabels(owner, name),
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
