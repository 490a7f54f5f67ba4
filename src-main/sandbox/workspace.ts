import { chmodSync, lstatSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ensureStateDir, lastUsedFileFor, sandboxesDir } from '../state-layout.js';
import { sandboxId } from './sandbox-names.js';

/**
 * A scope key's workspace directory: `sandboxes/<slug>-<8 hex>/`, named like its container
 * (minus the prefix) so two keys with the same slug never share one. Its filesystem image is
 * `clawdbot-workspace.ext4` inside.
 */
export function workspaceDirFor(stateDir: string, scopeKey: string): string {
  return join(sandboxesDir(stateDir), sandboxId(scopeKey));
}

/**
 * Creates a scope key's workspace directory (0700, the host user's): it holds the workspace's
 * filesystem image, which the workspace helper creates and the engine mounts (see
 * workspace-image.ts); the sandbox never sees the directory itself. Refuses a path that is not
 * a real directory: the helper bind-mounts it, and a symlink would mount whatever it points at.
 */
export function ensureWorkspace(stateDir: string, scopeKey: string): string {
  ensureStateDir(stateDir);
  const parent = sandboxesDir(stateDir);
  mkdirSync(parent, { recursive: true, mode: 0o700 });
  chmodSync(parent, 0o700);
  const dir = workspaceDirFor(stateDir, scopeKey);
  let existing: ReturnType<typeof lstatSync> | undefined;
  try {
    existing = lstatSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  if (existing && !existing.isDirectory()) {
    throw new Error(
      `the sandbox workspace ${dir} is not a directory (a symlink?); refusing to mount it`,
    );
  }
  if (!existing) mkdirSync(dir, { mode: 0o700 });
  chmodSync(dir, 0o700);
  return dir;
}

/** Records that the sandbox of a workspace was just used. */
export function touchLastUsed(workspaceDir: string, atMs: number): void {
  const file = lastUsedFileFor(workspaceDir);
  const at = new Date(atMs);
  try {
    utimesSync(file, at, at);
  } catch {
    // The first use: the stamp does not exist yet (any other failure repeats below, and throws).
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    writeFileSync(file, '', { mode: 0o600 });
    utimesSync(file, at, at);
  }
}

/** When the sandbox of a workspace was last used, as recorded by {@link touchLastUsed}. */
export function readLastUsed(workspaceDir: string): number | undefined {
  try {
    return lstatSync(lastUsedFileFor(workspaceDir)).mtimeMs;
  } catch {
    // Never recorded (or already removed): pruning then goes by the container's age.
    return undefined;
  }
}
