import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { ensureTestImage, testDockerClient } from './helpers/docker.js';
import { sandboxImageProblem } from './helpers/sandbox-image.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /**
     * Null when the sandbox image is on the engine; otherwise why the tests that need it skip
     * (Docker unreachable, or the image could not be built here).
     */
    sandboxImageProblem: string | null;
  }
}

const root = join(import.meta.dirname, '..');
const stamp = join(root, 'out', '.build-stamp');
const say = (line: string): void => void process.stderr.write(`${line}\n`);

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Process-level tests run the built gateway, CLI and renderer, exactly as a user would; build
 * them first when the sources are newer than the last build.
 */
function buildIfStale(): void {
  const sources = Math.max(
    ...['src-main', 'src-shared', 'src-renderer'].map((d) => newestSource(join(root, d))),
    statSync(join(root, 'electron.vite.config.ts')).mtimeMs,
  );
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) return;
  say('Building out/ for the tests (the sources changed)…');
  execFileSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  writeFileSync(stamp, new Date().toISOString());
}

/**
 * The images the Docker tests need, built before any test runs so their progress shows in the
 * terminal: the tiny test image (seconds) and the sandbox image (minutes, once per engine; the
 * engine keeps it). Without Docker the Docker tests skip, and the summary at the end says so;
 * with CLAWDBOT_REQUIRE_DOCKER=1 (CI) a missing engine or image fails the run here instead.
 */
async function prepareImages(project: TestProject): Promise<void> {
  const require = process.env['CLAWDBOT_REQUIRE_DOCKER'] === '1';
  const docker = testDockerClient(3000);
  try {
    await docker.ping();
  } catch (error) {
    if (require)
      throw new Error(`CLAWDBOT_REQUIRE_DOCKER=1 but Docker is not reachable: ${String(error)}`);
    project.provide('sandboxImageProblem', 'Docker is not reachable');
    return;
  }
  // Builds stream for minutes: no per-request timeout.
  const building = testDockerClient(0);
  await ensureTestImage(building);
  const problem = await sandboxImageProblem(building, say);
  if (problem && require) throw new Error(`CLAWDBOT_REQUIRE_DOCKER=1 but ${problem}`);
  project.provide('sandboxImageProblem', problem);
}

/** Builds what the tests run: the app (when stale) and the Docker images (when missing). */
export async function setup(project: TestProject): Promise<void> {
  buildIfStale();
  await prepareImages(project);
}

/**
 * The tests make workspaces and delete them with their temporary state directories; their loop
 * devices would keep the deleted images' blocks on the host disk until the next sandbox start.
 * Detach them at the end of the run (best effort: no engine, no sweep).
 */
export async function teardown(): Promise<void> {
  const { default: Docker } = await import('dockerode');
  const { dockerSocketOptions } = await import('../src-main/docker/docker-client.js');
  const { WorkspaceImages } = await import('../src-main/sandbox/workspace-image.js');
  const docker = new Docker({ ...dockerSocketOptions(), timeout: 30_000 });
  await new WorkspaceImages(docker).sweep().catch(() => undefined);
}
