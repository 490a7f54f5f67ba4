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
  addSystemUser(rootfs, {
    name: SANDBOX_USER_NAME,
    uid,
    gid,
    home: SANDBOX_WORKDIR,
    shell: '/bin/bash',
  });
  const workspace = join(rootfs, SANDBOX_WORKDIR.replace(/^\//, ''));
  mkdirSync(workspace, { recursive: true });
  chownSync(workspace, uid, gid);
  chmodSync(workspace, 0o755);
  stripRootfsForImport(rootfs);
}

/** A user (and its group of the same name) to add to a root filesystem's account files. */
export interface RootfsUser {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/**
 * Adds a user and its group to a root filesystem by editing its account files, as `useradd`
 * would write them; a name already there is left alone.
 */
export function addSystemUser(rootfs: string, user: RootfsUser): void {
  const { name, uid, gid } = user;
  addLine(join(rootfs, 'etc/group'), name, `${name}:x:${gid}:`);
  addLine(join(rootfs, 'etc/gshadow'), name, `${name}:!::`);
  addLine(join(rootfs, 'etc/passwd'), name, `${name}:x:${uid}:${gid}::${user.home}:${user.shell}`);
  // `!` = no password can ever log in; the days field is "since 1970", as useradd writes it.
  const days = Math.floor(Date.now() / 86_400_000);
  addLine(join(rootfs, 'etc/shadow'), name, `${name}:!:${days}:0:99999:7:::`);
}

/**
 * Removes from a debootstrapped root filesystem what an image must not carry: package caches
 * (nobody runs apt in an image whose root is read-only), the host's resolver config and name
 * (Docker supplies its own), device nodes and /proc (the engine provides them at run time, as
 * in moby's mkimage scripts).
 */
export function stripRootfsForImport(rootfs: string): void {
  emptyDir(join(rootfs, 'var/cache/apt/archives'), (entry) => entry.endsWith('.deb'));
  emptyDir(join(rootfs, 'var/lib/apt/lists'), (entry) => entry !== 'partial' && entry !== 'lock');
  for (const file of ['etc/resolv.conf', 'etc/hostname']) {
    if (existsSync(join(rootfs, file))) writeFileSync(join(rootfs, file), '');
  }
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
