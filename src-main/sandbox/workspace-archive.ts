import { posix } from 'node:path';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { Parser, type ReadEntry } from 'tar';
import { controlDeadline } from './docker-control.js';
import { dockerStatus } from '../docker/docker-errors.js';
import { SANDBOX_WORKDIR } from './image-recipe.js';
import { WorkspacePathError } from './sandbox-errors.js';

/** The largest file host-side code reads from a workspace in one piece. */
export const MAX_ARCHIVE_READ_BYTES = 64 * 1024 * 1024;

/**
 * The absolute path inside the container of a workspace path: relative paths are under
 * /workspace; absolute ones must already be there; `..` and NUL are refused.
 */
export function workspacePathInContainer(relPath: string): string {
  const refuse = (): never => {
    throw new WorkspacePathError(
      'outside',
      `not a path inside the workspace: ${JSON.stringify(relPath)}`,
    );
  };
  if (relPath.trim() === '' || relPath.includes('\0')) refuse();
  if (relPath.split(/[\\/]+/).includes('..')) refuse();
  const full = posix.resolve(SANDBOX_WORKDIR, relPath);
  if (!full.startsWith(`${SANDBOX_WORKDIR}/`)) refuse();
  return full;
}

/**
 * Reads one regular file of a sandbox's workspace through the engine's archive API
 * (`GET /containers/{id}/archive`). Host code never opens the workspace itself (it is a
 * filesystem image the host does not mount); the engine resolves the path inside the
 * container's own root, so a symlink planted in the workspace can only ever point at the
 * container's files, and a symlink at the path itself comes back as a link, which is refused.
 */
export async function readContainerFile(
  docker: Docker,
  containerId: string,
  relPath: string,
  maxBytes = MAX_ARCHIVE_READ_BYTES,
): Promise<Buffer> {
  const path = workspacePathInContainer(relPath);
  let stream: Readable;
  try {
    stream = (await docker
      .getContainer(containerId)
      .getArchive({ path, abortSignal: controlDeadline() })) as Readable;
  } catch (error) {
    if (dockerStatus(error) === 404) {
      throw new WorkspacePathError('not-a-file', `no such file in the workspace: ${relPath}`);
    }
    throw error;
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let entries = 0;
    let failure: Error | undefined;
    const parser = new Parser({
      strict: true,
      onReadEntry: (entry: ReadEntry) => {
        entries++;
        if (entries > 1 || failure) {
          entry.resume();
          return;
        }
        if (entry.type === 'SymbolicLink' || entry.type === 'Link') {
          failure = new WorkspacePathError(
            'symlink',
            `refusing to follow a link in the workspace: ${relPath}`,
          );
        } else if (entry.type !== 'File' && entry.type !== 'OldFile') {
          failure = new WorkspacePathError(
            'not-a-file',
            `not a regular file in the workspace: ${relPath}`,
          );
        } else if (entry.size > maxBytes) {
          failure = new Error(`${relPath} is larger than ${maxBytes} bytes; not read`);
        }
        if (failure) {
          entry.resume();
          return;
        }
        entry.on('data', (chunk: Buffer) => {
          size += chunk.length;
          chunks.push(chunk);
        });
      },
    });
    parser.on('error', (error: Error) => reject(error));
    parser.on('end', () => {
      if (failure) reject(failure);
      else if (entries !== 1) {
        reject(
          new WorkspacePathError('not-a-file', `not a regular file in the workspace: ${relPath}`),
        );
      } else resolve(Buffer.concat(chunks, size));
    });
    stream.on('error', (error) => reject(error));
    stream.pipe(parser);
  });
}
