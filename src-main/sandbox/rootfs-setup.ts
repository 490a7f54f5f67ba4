import {
  appendFileSync,
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import {
  SANDBOX_IMAGE_GID,
  SANDBOX_IMAGE_UID,
  SANDBOX_USER_NAME,
  SANDBOX_WORKDIR,
} from './image-recipe.js';

/**
 * Gives a debootstrapped root filesystem what the Dockerfile's RUN steps give the online
 * image: the `sandbox` user and group, an empty /workspace it owns, and no package caches.
 * Edits the files directly instead of running `useradd` in a chroot, which would need /proc
 * and the rootfs's own binaries to run on the host.
 */
export function configureSandboxRootfs(rootfs: string): void {
  const uid = SANDBOX_IMAGE_UID;
  const gid = SANDBOX_IMAGE_GID;
  const name = SANDBOX_USER_NAME;
  addLine(join(rootfs, 'etc/group'), name, `${name}:x:${gid}:`);
  addLine(join(rootfs, 'etc/gshadow'), name, `${name}:!::`);
  addLine(
    join(rootfs, 'etc/passwd'),
    name,
    `${name}:x:${uid}:${gid}::${SANDBOX_WORKDIR}:/bin/bash`,
  );
  // `!` = no password can ever log in; the days field is "since 1970", as useradd writes it.
  const days = Math.floor(Date.now() / 86_400_000);
  addLine(join(rootfs, 'etc/shadow'), name, `${name}:!:${days}:0:99999:7:::`);

  const workspace = join(rootfs, SANDBOX_WORKDIR.replace(/^\//, ''));
  mkdirSync(workspace, { recursive: true });
  chownSync(workspace, uid, gid);
  chmodSync(workspace, 0o755);

  // Package caches are dead weight in an image nobody runs apt in (its root is read-only).
  emptyDir(join(rootfs, 'var/cache/apt/archives'), (entry) => entry.endsWith('.deb'));
  emptyDir(join(rootfs, 'var/lib/apt/lists'), (entry) => entry !== 'partial' && entry !== 'lock');
  // debootstrap copies the host's resolver config and name in; Docker supplies its own.
  for (const file of ['etc/resolv.conf', 'etc/hostname']) {
    if (existsSync(join(rootfs, file))) writeFileSync(join(rootfs, file), '');
  }
  // Device nodes and /proc come from the engine at run time (as in moby's mkimage scripts).
  emptyDir(join(rootfs, 'dev'), () => true);
  emptyDir(join(rootfs, 'proc'), () => true);
}

function addLine(file: string, name: string, line: string): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (text.split('\n').some((l) => l.startsWith(`${name}:`))) return;
  appendFileSync(file, `${text === '' || text.endsWith('\n') ? '' : '\n'}${line}\n`);
}

function emptyDir(dir: string, shouldRemove: (entry: string) => boolean): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    // A directory the root filesystem does not have is already empty.
    return;
  }
  for (const entry of entries) {
    if (shouldRemove(entry)) rmSync(join(dir, entry), { recursive: true, force: true });
  }
}
