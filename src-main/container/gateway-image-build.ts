import { createHash } from 'node:crypto';
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  realpathSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { describeDockerError, dockerEndpoint } from '../docker/docker-errors.js';
import { detectDebianMirror } from '../sandbox/debian-mirror.js';
import {
  debootstrapCommand,
  importRootfs,
  removeTree,
  runDebootstrap,
  runLogged,
  seconds,
  splitTag,
  unmountUnder,
} from '../sandbox/image-build-offline.js';
import { dockerBuild } from '../sandbox/image-build.js';
import { appRootPath } from '../paths.js';
import {
  DEFAULT_GATEWAY_IMAGE,
  GATEWAY_APP_FILES,
  GATEWAY_DEBIAN_SUITE,
  GATEWAY_IMAGE_CONFIG,
  GATEWAY_GID,
  GATEWAY_PACKAGES,
  GATEWAY_STATE_DIR,
  GATEWAY_UID,
  GATEWAY_USER_NAME,
} from './gateway-image-recipe.js';
import {
  checkNativeModules,
  GatewayImageBuildError,
  prepareGatewayBase,
  sharedLibraries,
  stageGatewayApp,
} from './gateway-rootfs.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

export { GatewayImageBuildError } from './gateway-rootfs.js';

const OFFLINE_COMMAND = 'clawdbot gateway image build --offline';

/**
 * The label holding a hash of everything the offline image is made of (the build, the lock
 * file, the Node binary, the recipe): an image that carries the same hash is not built again.
 */
export const GATEWAY_CONTENT_HASH_LABEL = 'clawdbot.gateway.contentHash';

/** How `clawdbot gateway image build` builds. */
export interface GatewayImageBuildOptions {
  docker: Docker;
  /** debootstrap + `docker import` + a config-only `docker build` (no registry needed). */
  offline: boolean;
  /** The tag (default `clawdbot-gateway:local`). */
  tag?: string;
  /** Offline: the Debian mirror (default: the host's apt mirror, else deb.debian.org). */
  mirror?: string;
  /** The built app to put in (default: this installation's root). */
  appRoot?: string;
  /** Offline: the Node binary to ship (default: the one running this). */
  nodeBinary?: string;
  /** Offline: build even when an image with the same content hash exists. */
  force?: boolean;
  onProgress?: (line: string) => void;
}

/** The built (or already up-to-date) image. */
export interface GatewayImageBuildResult {
  tag: string;
  imageId: string;
  sizeBytes: number;
  durationMs: number;
  /** False when an image with the same content hash was already there. */
  built: boolean;
}

/**
 * Builds the gateway image. Online: `docker build` of `docker/Dockerfile` with the repository
 * as context (the engine pulls the Node and Debian base images). Offline: see
 * {@link buildGatewayImageOffline}.
 */
export async function buildGatewayImage(
  options: GatewayImageBuildOptions,
): Promise<GatewayImageBuildResult> {
  const started = performance.now();
  const tag = options.tag ?? DEFAULT_GATEWAY_IMAGE;
  const progress = options.onProgress ?? (() => undefined);
  const appRoot = options.appRoot ?? appRootPath();
  try {
    await options.docker.ping();
  } catch (error) {
    throw new GatewayImageBuildError(
      `Docker is not reachable at ${dockerEndpoint(options.docker)}: ${describeDockerError(error)}`,
    );
  }
  const built = options.offline
    ? await buildGatewayImageOffline({ ...options, tag, appRoot, progress })
    : await buildGatewayImageOnline(options.docker, appRoot, tag, progress);
  const image = await options.docker.getImage(tag).inspect();
  const durationMs = Math.round(performance.now() - started);
  progress(
    `${built ? 'built' : 'up to date:'} ${tag} (${image.Id.slice(7, 19)}, ${Math.round(image.Size / 1e6)} MB) in ${(durationMs / 1000).toFixed(1)} s`,
  );
  return { tag, imageId: image.Id, sizeBytes: image.Size, durationMs, built };
}

/** Every file under `dir`, relative to `root`, sorted (for a stable hash). */
function filesUnder(root: string, dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(join(root, dir), { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(root, path));
    else if (entry.isFile()) out.push(path);
  }
  return out.sort();
}

/**
 * The content hash of an offline gateway image: the app files, package-lock.json, the native
 * module the image loads, the Node binary, and the recipe (packages, config, suite).
 */
export function gatewayContentHash(appRoot: string, nodeBinary: string): string {
  const hash = createHash('sha256');
  hash.update(JSON.stringify([GATEWAY_PACKAGES, GATEWAY_IMAGE_CONFIG, GATEWAY_DEBIAN_SUITE]));
  const files = [
    ...GATEWAY_APP_FILES.flatMap((entry) =>
      statSync(join(appRoot, entry)).isDirectory() ? filesUnder(appRoot, entry) : [entry],
    ),
    'package-lock.json',
    'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  ];
  for (const file of files) {
    hash.update(`${file}\0`);
    hash.update(readFileSync(join(appRoot, file)));
  }
  hash.update(readFileSync(realpathSync(nodeBinary)));
  return hash.digest('hex').slice(0, 24);
}

async function existingHash(docker: Docker, tag: string): Promise<string | null> {
  try {
    const info = await docker.getImage(tag).inspect();
    return info.Config.Labels?.[GATEWAY_CONTENT_HASH_LABEL] ?? null;
  } catch {
    return null;
  }
}

/**
 * The hash naming the offline build's base image: what debootstrap and the user setup make of
 * the recipe. The base is built once per machine and recipe; app changes only redo the app layer.
 */
export function gatewayBaseHash(): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        GATEWAY_DEBIAN_SUITE,
        GATEWAY_PACKAGES,
        GATEWAY_UID,
        GATEWAY_GID,
        GATEWAY_USER_NAME,
        GATEWAY_STATE_DIR,
      ]),
    )
    .digest('hex')
    .slice(0, 16);
}

/** The offline build's base image: Debian minbase, the packages, the user and /data. */
export const GATEWAY_BASE_REPO = 'clawdbot-gateway-base';

async function imageExists(docker: Docker, tag: string): Promise<boolean> {
  try {
    await docker.getImage(tag).inspect();
    return true;
  } catch {
    return false;
  }
}

/**
 * The gateway image with no registry, in three layers of work:
 * 1. the base (once per machine and recipe, kept as `clawdbot-gateway-base:<hash>`): debootstrap
 *    (variant minbase) of Debian bookworm with the recipe's packages, the `clawdbot` user and
 *    /data (0700, its own), streamed into `docker import`;
 * 2. the app layer: Node (with any library the base lacks), the app and production
 *    node_modules, staged as a tar with root as owner;
 * 3. a `docker build` of `FROM <base>`, `ADD app.tar /`, a check that Node runs, and the recipe's
 *    config lines (HEALTHCHECK and LABEL cannot be given to an import). A build from a local
 *    image needs no registry.
 * Needs root and debootstrap for the base; reaches only the Debian mirror. Resolves false when
 * an image with the same content hash is already there.
 */
export async function buildGatewayImageOffline(options: {
  docker: Docker;
  tag: string;
  appRoot: string;
  mirror?: string;
  nodeBinary?: string;
  force?: boolean;
  progress: (line: string) => void;
}): Promise<boolean> {
  const { docker, tag, appRoot, progress } = options;
  if (process.platform !== 'linux') {
    throw new GatewayImageBuildError('the offline build needs Linux (it runs debootstrap)');
  }
  const nodeBinary = options.nodeBinary ?? process.execPath;
  progress('[1/4] checking the app and Node');
  checkNativeModules(appRoot, nodeBinary);
  let hash: string;
  try {
    hash = gatewayContentHash(appRoot, nodeBinary);
  } catch (error) {
    throw new GatewayImageBuildError(
      `cannot read the app to build from (${describeError(error)}): run npm run build first`,
    );
  }
  if (!options.force && (await existingHash(docker, tag)) === hash) {
    progress(`      ${tag} already holds this build (content ${hash}); --force builds it again`);
    return false;
  }
  const base = `${GATEWAY_BASE_REPO}:${gatewayBaseHash()}`;
  if (!options.force && (await imageExists(docker, base))) {
    progress(`[2/4] reusing the base image ${base}`);
  } else {
    await buildBaseImage(docker, base, options.mirror ?? detectDebianMirror(), progress);
  }

  progress('[3/4] staging Node, the app and production node_modules');
  const context = mkdtempSync(join(tmpdir(), 'clawdbot-gateway-context-'));
  try {
    const stage = join(context, 'stage');
    mkdirSync(stage);
    const present = await filesInImage(docker, base, sharedLibraries(realpathSync(nodeBinary)));
    stageGatewayApp({ stage, appRoot, nodeBinary, skipLibraries: present, progress });
    await runLogged(
      'tar',
      ['--numeric-owner', '-C', stage, '-cf', join(context, 'app.tar'), '.'],
      progress,
    );
    removeTree(stage);
    writeFileSync(join(context, 'Dockerfile'), offlineConfigDockerfile(base, hash));
    progress(`[4/4] docker build of ${tag} from ${base}`);
    await dockerBuild(
      docker,
      { context, src: ['Dockerfile', 'app.tar'], offlineCommand: OFFLINE_COMMAND },
      tag,
      (line) => progress(`      ${line}`),
    );
  } finally {
    removeTree(context);
  }
  return true;
}

/** Step 2: debootstrap, the user and /data, imported as the base image. */
async function buildBaseImage(
  docker: Docker,
  base: string,
  mirror: string,
  progress: (line: string) => void,
): Promise<void> {
  const debootstrap = (() => {
    try {
      return debootstrapCommand(OFFLINE_COMMAND);
    } catch (error) {
      throw new GatewayImageBuildError(describeError(error));
    }
  })();
  const workDir = mkdtempSync(join(tmpdir(), 'clawdbot-gateway-rootfs-'));
  const rootfs = join(workDir, 'rootfs');
  try {
    progress(`[2/4] debootstrap --variant=minbase ${GATEWAY_DEBIAN_SUITE} from ${mirror}`);
    await runDebootstrap(
      debootstrap,
      { suite: GATEWAY_DEBIAN_SUITE, packages: GATEWAY_PACKAGES, rootfs, mirror },
      progress,
    );
    unmountUnder(workDir);
    prepareGatewayBase(rootfs);
    const [repo, baseTag] = splitTag(base);
    progress(`      docker import as ${base}`);
    const t1 = performance.now();
    await importRootfs(docker, rootfs, repo, baseTag, progress, []);
    progress(`      import done in ${seconds(t1)}`);
  } finally {
    progress(`      removing ${workDir}`);
    removeTree(workDir);
  }
}

/**
 * Which of `paths` exist in `image`, asked of a throwaway container of it (no network, removed
 * on exit): the app layer adds only the libraries Node needs that the base lacks, and never
 * replaces one of the base's own.
 */
async function filesInImage(docker: Docker, image: string, paths: string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  const script = 'for f in "$@"; do [ -e "$f" ] && echo "$f"; done; true';
  const container = await docker.createContainer({
    Image: image,
    Entrypoint: ['/bin/sh', '-c', script, 'sh', ...paths],
    Cmd: [],
    User: '0:0',
    NetworkDisabled: true,
    HostConfig: { NetworkMode: 'none' },
  });
  try {
    await container.start();
    await container.wait();
    const logs = await container.logs({ stdout: true, stderr: false });
    // Without a TTY the log stream is multiplexed: 8-byte frame headers before each chunk.
    const text = demuxText(logs);
    return new Set(text.split('\n').filter((line) => paths.includes(line)));
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
}

/** The text of a multiplexed (non-TTY) Docker log buffer. */
function demuxText(buffer: Buffer): string {
  let out = '';
  let at = 0;
  while (at + 8 <= buffer.length) {
    const size = buffer.readUInt32BE(at + 4);
    out += buffer.subarray(at + 8, at + 8 + size).toString('utf8');
    at += 8 + size;
  }
  return out;
}

/** The Dockerfile that makes the image from the base and the app layer (offline build, step 4). */
export function offlineConfigDockerfile(base: string, contentHash: string): string {
  return [
    `FROM ${base}`,
    // A local tar is unpacked with the owners it records: root for everything in it.
    'ADD app.tar /',
    // Fails the build (not the first start) if Node cannot run on this base.
    'RUN ["/usr/local/bin/node", "--version"]',
    `LABEL ${GATEWAY_CONTENT_HASH_LABEL}="${contentHash}"`,
    ...GATEWAY_IMAGE_CONFIG,
    '',
  ].join('\n');
}

async function buildGatewayImageOnline(
  docker: Docker,
  appRoot: string,
  tag: string,
  progress: (line: string) => void,
): Promise<boolean> {
  // The Dockerfile's build stage needs the sources and the lock file; nothing else is sent.
  const src = [
    'docker/Dockerfile',
    'package.json',
    'package-lock.json',
    'electron.vite.config.ts',
    'tsconfig.json',
    'bin',
    'assets',
    'scripts',
    'src-main',
    'src-shared',
    'src-renderer',
  ];
  progress(`docker build ${appRoot} -f docker/Dockerfile -t ${tag}`);
  await dockerBuild(
    docker,
    { context: appRoot, src, dockerfile: 'docker/Dockerfile', offlineCommand: OFFLINE_COMMAND },
    tag,
    progress,
  );
  return true;
}
