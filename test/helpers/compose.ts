import { spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { buildGatewayImage } from '../../src-main/container/gateway-image-build.js';
import {
  DEFAULT_GATEWAY_IMAGE,
  GATEWAY_GID,
  GATEWAY_UID,
} from '../../src-main/container/gateway-image-recipe.js';
import { waitFor } from './wait.js';

/** The repository root (compose.yaml, out/, node_modules). */
export const REPO_ROOT = join(import.meta.dirname, '..', '..');

/**
 * How long a `beforeAll` that may build the gateway image needs: the base (a debootstrap of
 * Debian) once per machine, several minutes on a busy 2-core machine; the app layer once per
 * build of the app, about a minute.
 */
export const GATEWAY_IMAGE_BUILD_TIMEOUT_MS = 30 * 60_000;

/**
 * The gateway image built offline from this checkout's build, as a user would build it. An
 * image holding the same content (same `out/`, lock file, Node) is reused as is; the base is
 * reused across builds.
 */
export async function ensureGatewayImage(docker: Docker): Promise<string> {
  const result = await buildGatewayImage({
    docker,
    offline: true,
    appRoot: REPO_ROOT,
    onProgress: (line) => {
      // debootstrap's per-package lines and the build's steps would flood the output.
      if (/^(\[|built|up to date)/.test(line)) process.stderr.write(`  gateway image: ${line}\n`);
    },
  });
  return result.tag;
}

/** The compose command this machine has: Docker's v2 plugin, else docker-compose 1.x. */
export function composeCommand(): string[] | null {
  if (spawnSync('docker', ['compose', 'version'], { stdio: 'ignore' }).status === 0) {
    return ['docker', 'compose'];
  }
  if (spawnSync('docker-compose', ['version'], { stdio: 'ignore' }).status === 0) {
    return ['docker-compose'];
  }
  if (process.env['CLAWDBOT_REQUIRE_DOCKER'] === '1') {
    throw new Error(
      'CLAWDBOT_REQUIRE_DOCKER=1 but neither `docker compose` nor `docker-compose` is installed',
    );
  }
  return null;
}

/** What a compose command printed and how it ended. */
export interface ComposeResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The repository's compose.yaml without its `ports:` block: the tests run the gateway with host
 * networking (so it reaches the fake Bot API and model server on 127.0.0.1), which cannot be
 * combined with published ports. Throws if compose.yaml no longer has the block this expects,
 * so the test is changed with it.
 */
export function composeWithoutPorts(): string {
  const text = readFileSync(join(REPO_ROOT, 'compose.yaml'), 'utf8');
  const stripped = text.replace(/^ {4}ports:\n(?: {6}- .*\n)+/m, '');
  if (stripped === text) throw new Error('compose.yaml has no ports: block where expected');
  return stripped;
}

/**
 * A compose project in a temporary directory: the repository's compose.yaml (ports removed),
 * an override the test writes, secrets files readable by the gateway's user, and a unique
 * project name, so its volume and container never meet another run's.
 */
export class ComposeProject {
  readonly dir = mkdtempSync(join(tmpdir(), 'clawdbot-compose-'));
  readonly name = `clawdbot-test-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(
    private readonly command: string[],
    override: string,
  ) {
    writeFileSync(join(this.dir, 'compose.yaml'), composeWithoutPorts());
    writeFileSync(join(this.dir, 'compose.test.yaml'), override);
    mkdirSync(join(this.dir, 'secrets'));
  }

  /** Writes a file into the project directory, readable by the gateway's user only. */
  writeForGateway(relative: string, content: string): void {
    const path = join(this.dir, relative);
    writeFileSync(path, content, { mode: 0o600 });
    chownSync(path, GATEWAY_UID, GATEWAY_GID);
  }

  /** Runs `compose <args>` for this project; resolves with its exit and output. */
  run(args: string[], timeoutMs = 120_000): Promise<ComposeResult> {
    const [file, ...pre] = this.command;
    const all = [
      ...pre,
      '--project-name',
      this.name,
      '--project-directory',
      this.dir,
      '-f',
      join(this.dir, 'compose.yaml'),
      '-f',
      join(this.dir, 'compose.test.yaml'),
      ...args,
    ];
    return new Promise((resolve, reject) => {
      const child = spawn(file as string, all, {
        cwd: this.dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`compose ${args.join(' ')} did not finish in ${timeoutMs} ms\n${stderr}`));
      }, timeoutMs);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  /** `compose exec -T gateway <argv>` (no TTY: output is captured). */
  exec(argv: string[]): Promise<ComposeResult> {
    return this.run(['exec', '-T', 'gateway', ...argv]);
  }

  /** Runs compose and fails with its output unless it exits 0. */
  async ok(args: string[], timeoutMs?: number): Promise<string> {
    const result = await this.run(args, timeoutMs);
    if (result.code !== 0) {
      throw new Error(
        `compose ${args.join(' ')} exited ${String(result.code)}:\n${result.stderr}${result.stdout}`,
      );
    }
    return result.stdout;
  }

  /** The gateway service's container id. */
  async containerId(): Promise<string> {
    const id = (await this.ok(['ps', '-q', 'gateway'])).trim();
    if (!id) throw new Error('the gateway container is not there');
    return id;
  }

  /** Waits until Docker reports the gateway container healthy (its HEALTHCHECK passed). */
  async waitHealthy(docker: Docker): Promise<void> {
    const id = await this.containerId();
    await waitFor(
      'the gateway container to become healthy',
      async () => {
        const info = await docker.getContainer(id).inspect();
        const status = info.State.Health?.Status;
        if (status === 'unhealthy' || !info.State.Running) {
          const logs = await this.run(['logs', '--tail', '40', 'gateway']);
          throw new Error(
            `the gateway container is ${status ?? info.State.Status}:\n${logs.stdout}${logs.stderr}`,
          );
        }
        return status === 'healthy';
      },
      180_000,
      // Docker checks every 10 s: asking it 40 times a second would only load the engine.
      250,
    );
  }

  /** Removes the project's containers and volumes, and its directory. */
  async remove(): Promise<void> {
    await this.run(['down', '-v', '-t', '0'], 120_000).catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** The image the tests run (the offline build's tag). */
export const TEST_GATEWAY_IMAGE = DEFAULT_GATEWAY_IMAGE;

/** A TCP port free on 127.0.0.1 right now (for a server the container binds itself). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
