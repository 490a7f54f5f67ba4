import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readFileSync,
  readlinkSync,
  realpathSync,
} from 'node:fs';
import { isAbsolute, join, sep } from 'node:path';
import { WorkspacePathError } from './sandbox-errors.js';

/**
 * Reads a file of a sandbox workspace from the host, refusing symlinks anywhere on the way.
 *
 * A sandbox controls everything in its workspace, including symlinks to host paths that do not
 * exist inside the container but do on the host (`ln -s /root/.ssh/id_ed25519 key`). Host-side
 * code that follows one would read the host file for the sandbox. So every component is
 * `lstat`ed (a symlink anywhere refuses), the file is opened with `O_NOFOLLOW`, and the opened
 * descriptor is checked to be the very file that was walked (same device and inode) and, on
 * Linux, to sit under the workspace (`/proc/self/fd`), which defeats a swap between the walk
 * and the open.
 *
 * Tools of a sandboxed session never use this: they read and write inside the container,
 * where the kernel keeps them in. It is for host code that must look at a workspace (an
 * export, an attachment the owner asked for).
 */
export function readWorkspaceFileNoFollow(workspaceDir: string, relPath: string): Buffer {
  if (relPath === '' || isAbsolute(relPath) || relPath.includes('\0')) {
    throw new WorkspacePathError(
      'outside',
      `not a path inside the workspace: ${JSON.stringify(relPath)}`,
    );
  }
  const parts = relPath.split(/[\\/]+/).filter((p) => p !== '' && p !== '.');
  if (parts.length === 0 || parts.includes('..')) {
    throw new WorkspacePathError(
      'outside',
      `not a path inside the workspace: ${JSON.stringify(relPath)}`,
    );
  }
  const root = realpathSync(workspaceDir);
  let current = root;
  let last: ReturnType<typeof lstatSync> | undefined;
  for (const part of parts) {
    current = join(current, part);
    last = lstatSync(current);
    if (last.isSymbolicLink()) {
      throw new WorkspacePathError(
        'symlink',
        `refusing to follow a symlink in the workspace: ${relPath}`,
      );
    }
  }
  if (!last?.isFile()) {
    throw new WorkspacePathError('not-a-file', `not a regular file in the workspace: ${relPath}`);
  }
  let fd: number;
  try {
    fd = openSync(current, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') {
      throw new WorkspacePathError(
        'symlink',
        `refusing to follow a symlink in the workspace: ${relPath}`,
      );
    }
    throw error;
  }
  try {
    const opened = fstatSync(fd);
    if (!opened.isFile() || opened.ino !== last.ino || opened.dev !== last.dev) {
      throw new WorkspacePathError(
        'symlink',
        `the workspace changed while reading ${relPath}; refused`,
      );
    }
    if (process.platform === 'linux') {
      const real = readlinkSync(`/proc/self/fd/${fd}`);
      if (!real.startsWith(root + sep)) {
        throw new WorkspacePathError(
          'symlink',
          `${relPath} resolved outside the workspace; refused`,
        );
      }
    }
    return readFileSync(fd);
  } finally {
    closeSync(fd);
  }
}
