import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { appRootPath } from '../paths.js';

/**
 * What both image builds agree on. The Dockerfile states the same facts for `docker build`;
 * the offline build applies these to a debootstrapped root filesystem. Change both together.
 */

/** The uid of the image's `sandbox` user (see assets/sandbox/Dockerfile for why 1000). */
export const SANDBOX_IMAGE_UID = 1000;
/** The gid of the image's `sandbox` group. */
export const SANDBOX_IMAGE_GID = 1000;
/** The name of the image's unprivileged user and group. */
export const SANDBOX_USER_NAME = 'sandbox';
/** Where the session's workspace is mounted; also the sandbox user's home and workdir. */
export const SANDBOX_WORKDIR = '/workspace';
/** The Debian release both builds use. */
export const SANDBOX_DEBIAN_SUITE = 'bookworm';

/**
 * The `docker import` changes that give the offline image the Dockerfile's config. `docker
 * build` sets PATH from the base image; an imported rootfs has none, so it is set here.
 */
export const OFFLINE_IMAGE_CHANGES: readonly string[] = [
  'ENV LANG=C.UTF-8',
  'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
  `USER ${SANDBOX_IMAGE_UID}:${SANDBOX_IMAGE_GID}`,
  `WORKDIR ${SANDBOX_WORKDIR}`,
  'CMD ["sleep", "infinity"]',
];

/** `assets/sandbox`, beside the source tree or the bundle. */
export function sandboxAssetsDir(): string {
  return join(appRootPath(), 'assets', 'sandbox');
}

/**
 * The package names in a packages.txt: one per line, `#` starts a comment, blank lines skipped.
 * The Dockerfile strips comments the same way (sed), so both builds read the same list.
 */
export function parsePackageList(text: string): string[] {
  const names = text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '');
  for (const name of names) {
    // Debian package names; anything else would be smuggled into debootstrap's arguments.
    if (!/^[a-z0-9][a-z0-9+.-]+$/.test(name)) throw new Error(`not a Debian package name: ${name}`);
  }
  return names;
}

/** The packages the sandbox image holds, from `assets/sandbox/packages.txt`. */
export function readSandboxPackages(assetsDir = sandboxAssetsDir()): string[] {
  return parsePackageList(readFileSync(join(assetsDir, 'packages.txt'), 'utf8'));
}
