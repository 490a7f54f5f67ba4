import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import type Docker from 'dockerode';
import { detectDebianMirror } from './debian-mirror.js';
import { followBuildProgress } from '../docker/build-progress.js';
import { SandboxImageBuildError } from './image-build-error.js';
import {
  OFFLINE_IMAGE_CHANGES,
  SANDBOX_DEBIAN_SUITE,
  readSandboxPackages,
  sandboxAssetsDir,
} from './image-recipe.js';
import { LineSplitter } from './line-progress.js';
import { configureSandboxRootfs } from './rootfs-setup.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { findExecutable, SBIN_DIRS } from '../process/find-executable.js';

/** What the offline build needs. */
export interface OfflineBuildOptions {
  docker: Docker;
  tag: string;
  mirror?: string;
  assetsDir?: string;
  onProgress: (line: string) => void;
}

/**
 * Builds the sandbox image with no registry: debootstrap (variant minbase) of Debian bookworm
 * with packages.txt into a temporary directory, the sandbox user and /workspace added, then
 * the directory streamed as a tar into `docker import` through the API, with the Dockerfile's
 * USER, WORKDIR, CMD and LANG as import changes. Needs root (debootstrap creates device nodes
 * and chowns files) and Debian's `debootstrap`; reaches only the Debian mirror.
 */
export async function buildSandboxImageOffline(options: OfflineBuildOptions): Promise<void> {
  const progress = options.onProgress;
  if (process.platform !== 'linux') {
    throw new SandboxImageBuildError('the offline build needs Linux (it runs debootstrap)');
  }
  const debootstrap = debootstrapCommand('clawdbot sandbox image build --offline');
  const packages = readSandboxPackages(options.assetsDir ?? sandboxAssetsDir());
  const mirror = options.mirror ?? detectDebianMirror();
  const [repo, tag] = splitTag(options.tag);
  const workDir = mkdtempSync(join(tmpdir(), 'clawdbot-sandbox-rootfs-'));
  const rootfs = join(workDir, 'rootfs');
  try {
    progress(`[1/3] debootstrap --variant=minbase ${SANDBOX_DEBIAN_SUITE} from ${mirror}`);
    await runDebootstrap(
      debootstrap,
      { suite: SANDBOX_DEBIAN_SUITE, packages, rootfs, mirror },
      progress,
    );

    progress('[2/3] adding the sandbox user and /workspace, removing package caches');
    unmountUnder(workDir);
    configureSandboxRootfs(rootfs);

    progress(`[3/3] docker import as ${options.tag}`);
    const t2 = performance.now();
    await importRootfs(options.docker, rootfs, repo, tag, progress);
    progress(`      import done in ${seconds(t2)}`);
  } finally {
    progress(`      removing ${workDir}`);
    removeTree(workDir);
  }
}

/**
 * The path of debootstrap, after checking the offline build can run it: it must be installed,
 * and run as root (it creates device nodes and root-owned files). `command` is what to run
 * again with sudo.
 */
export function debootstrapCommand(command: string): string {
  const debootstrap = findExecutable('debootstrap', process.env, SBIN_DIRS);
  if (!debootstrap) {
    throw new SandboxImageBuildError(
      'debootstrap is not installed: apt-get install debootstrap (then run this again)',
    );
  }
  if (process.getuid?.() !== 0) {
    throw new SandboxImageBuildError(
      'the offline build must run as root (debootstrap creates device nodes and root-owned ' +
        `files): run sudo ${command}`,
    );
  }
  return debootstrap;
}

/** What {@link runDebootstrap} installs where. */
export interface DebootstrapTarget {
  suite: string;
  packages: readonly string[];
  rootfs: string;
  mirror: string;
}

/** debootstrap (variant minbase) of `suite` with `packages` into `rootfs`, with progress. */
export async function runDebootstrap(
  debootstrap: string,
  target: DebootstrapTarget,
  progress: (line: string) => void,
): Promise<void> {
  progress(`      packages: ${target.packages.join(' ')}`);
  const t0 = performance.now();
  await runLogged(
    debootstrap,
    [
      '--variant=minbase',
      `--include=${target.packages.join(',')}`,
      target.suite,
      target.rootfs,
      target.mirror,
    ],
    progress,
  );
  progress(`      debootstrap done in ${seconds(t0)}`);
}

/** Seconds since `since` (a `performance.now()`), for progress lines. */
export function seconds(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** `repo:tag` split in two (`latest` when there is no tag). */
export function splitTag(image: string): [string, string] {
  const colon = image.lastIndexOf(':');
  if (colon <= 0 || image.slice(colon).includes('/')) return [image, 'latest'];
  return [image.slice(0, colon), image.slice(colon + 1)];
}

/** Runs a program, passing each output line to `progress`; rejects with its last lines. */
export function runLogged(
  file: string,
  args: string[],
  progress: (line: string) => void,
): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const tail: string[] = [];
    const onLine = (line: string): void => {
      tail.push(line);
      if (tail.length > 15) tail.shift();
      progress(`      ${line}`);
    };
    const out = new LineSplitter(onLine);
    const err = new LineSplitter(onLine);
    const child = spawn(file, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C' },
    });
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error) => reject(new SandboxImageBuildError(`${file}: ${error.message}`)));
    child.on('close', (code, signal) => {
      out.flush();
      err.flush();
      if (code === 0) resolve();
      else {
        reject(
          new SandboxImageBuildError(
            `${file} failed (${signal ?? `exit ${String(code)}`}); last output:\n${tail.join('\n')}`,
          ),
        );
      }
    });
  });
}

/**
 * Streams the rootfs as a tar (numeric owners kept) into `POST /images/create?fromSrc=-`, with
 * `changes` as the image's config (default: the sandbox image's).
 */
export async function importRootfs(
  docker: Docker,
  rootfs: string,
  repo: string,
  tag: string,
  progress: (line: string) => void,
  changes: readonly string[] = OFFLINE_IMAGE_CHANGES,
): Promise<void> {
  const tar = spawn('tar', ['--numeric-owner', '-C', rootfs, '-c', '.'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tarError = '';
  tar.stderr.on('data', (chunk: Buffer) => (tarError += chunk.toString()));
  const tarExit = new Promise<number | null>((resolve) => tar.on('close', resolve));
  let sent = 0;
  let reported = 0;
  const counter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      sent += chunk.length;
      if (sent - reported >= 50e6) {
        reported = sent;
        progress(`      sent ${Math.round(sent / 1e6)} MB`);
      }
      done(null, chunk);
    },
  });
  const stream = await docker.importImage(tar.stdout.pipe(counter), {
    repo,
    tag,
    changes: [...changes],
  });
  await followBuildProgress(docker, stream, (event) => {
    if (event.status) progress(`      ${event.status}`);
  }).catch((error: unknown) => {
    throw new SandboxImageBuildError(`docker import failed: ${describeError(error)}`);
  });
  const code = await tarExit;
  if (code !== 0) throw new SandboxImageBuildError(`tar of the rootfs failed: ${tarError.trim()}`);
  progress(`      sent ${Math.round(sent / 1e6)} MB in all`);
}

/**
 * Unmounts whatever a failed debootstrap left mounted under `dir` (its /proc, /sys or bound
 * device nodes), deepest first, so removing the tree cannot reach into the host's.
 */
export function unmountUnder(dir: string): void {
  let mountinfo = '';
  try {
    mountinfo = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    // No /proc (not Linux): debootstrap, and so anything mounted by it, cannot have run.
    return;
  }
  const points = mountinfo
    .split('\n')
    .map((line) => line.split(' ')[4])
    .filter((p): p is string => p !== undefined)
    .map((p) =>
      p.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8))),
    )
    .filter((p) => p.startsWith(`${dir}/`))
    .sort((a, b) => b.length - a.length);
  for (const point of points) spawnSync('umount', ['-l', point], { stdio: 'ignore' });
}

/** Removes the build directory without crossing into another filesystem. */
export function removeTree(dir: string): void {
  unmountUnder(dir);
  spawnSync('rm', ['-rf', '--one-file-system', '--', dir], { stdio: 'ignore' });
}
