import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const stamp = join(root, 'out', '.build-stamp');

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
export function setup(): void {
  const sources = Math.max(
    ...['src-main', 'src-shared', 'src-renderer'].map((d) => newestSource(join(root, d))),
    statSync(join(root, 'electron.vite.config.ts')).mtimeMs,
  );
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= sources) return;
  execFileSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  writeFileSync(stamp, new Date().toISOString());
}

/**
 * The tests make workspaces and delete them with their temporary state directories; their loop
 * devices would keep the deleted images' blocks on the host disk until the next sandbox start.
 * Detach them at the end of the run (best effort: no engine, no sweep).
 */
export async function teardown(): Promise<void> {
  const { default: Docker } = await import('dockerode');
  const { dockerSocketOptions } = await import('../src-main/supervisor/docker-client.js');
  const { WorkspaceImages } = await import('../src-main/sandbox/workspace-image.js');
  const docker = new Docker({ ...dockerSocketOptions(), timeout: 30_000 });
  await new WorkspaceImages(docker).sweep().catch(() => undefined);
}
