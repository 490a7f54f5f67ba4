import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { addSystemUser, stripRootfsForImport } from '../sandbox/rootfs-setup.js';
import {
  GATEWAY_APP_DIR,
  GATEWAY_APP_FILES,
  GATEWAY_GID,
  GATEWAY_STATE_DIR,
  GATEWAY_UID,
  GATEWAY_USER_NAME,
} from './gateway-image-recipe.js';

/** The gateway image build failed; the message says what to do about it. */
export class GatewayImageBuildError extends Error {
  override readonly name = 'GatewayImageBuildError';
}

/** One entry of package-lock.json's `packages` map: only what decides whether it ships. */
interface LockEntry {
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/**
 * The desktop shell: an optional dependency of the app (so `npm install` survives its failed
 * download on every npm), never run by the gateway, and 200 MB with its binary.
 */
const DESKTOP_ONLY = new Set(['electron']);

/**
 * The `node_modules/…` directories of the production dependencies, from package-lock.json
 * (lockfile v2/v3): every installed package reachable from the app's `dependencies` and
 * `optionalDependencies` (Electron's left out) through what each package depends on, resolved
 * the way Node does (the nearest `node_modules` up the tree). Reachability rather than the lock's
 * `dev`/`optional` flags: Electron's own dependencies are marked optional exactly like a native
 * module's platform binary (sharp's), which the gateway does need.
 */
export function productionPackageDirs(lockText: string): string[] {
  const lock = JSON.parse(lockText) as { packages?: Record<string, LockEntry> };
  const packages = lock.packages;
  if (!packages) {
    throw new GatewayImageBuildError(
      'package-lock.json has no "packages" map (lockfile v1): run npm install with npm 7 or newer',
    );
  }
  const namesOf = (entry: LockEntry | undefined): string[] =>
    Object.keys({
      ...entry?.dependencies,
      ...entry?.optionalDependencies,
      ...entry?.peerDependencies,
    });
  // Node's lookup: `from/node_modules/name`, then each enclosing package's, then the top level.
  const resolve = (from: string, name: string): string | null => {
    for (let dir = from; ;) {
      const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
      if (packages[candidate]) return candidate;
      if (dir === '') return null;
      const cut = dir.lastIndexOf('/node_modules/');
      dir = cut === -1 ? '' : dir.slice(0, cut);
    }
  };
  const shipped = new Set<string>();
  const queue = namesOf(packages['']).flatMap((name) => {
    if (DESKTOP_ONLY.has(name)) return [];
    const path = resolve('', name);
    return path ? [path] : [];
  });
  while (queue.length > 0) {
    const path = queue.pop()!;
    if (shipped.has(path)) continue;
    shipped.add(path);
    for (const name of namesOf(packages[path])) {
      // An optional dependency for another platform is in the lock but was never installed.
      const found = resolve(path, name);
      if (found && !shipped.has(found)) queue.push(found);
    }
  }
  return [...shipped].filter((path) => !packages[path]?.link).sort();
}

/**
 * The shared libraries a program needs, as `ldd` resolves them on this machine (absolute
 * paths; the vDSO, which has none, is left out).
 */
export function sharedLibraries(program: string): string[] {
  const result = spawnSync('ldd', [program], { encoding: 'utf8' });
  if (result.status !== 0) {
    // A static binary: ldd says "not a dynamic executable" and exits 1.
    if (/not a dynamic executable/.test(`${result.stdout}${result.stderr}`)) return [];
    throw new GatewayImageBuildError(`ldd ${program} failed: ${result.stderr.trim()}`);
  }
  const libs: string[] = [];
  for (const line of result.stdout.split('\n')) {
    const arrow = /=>\s*(\/\S+)/.exec(line);
    const bare = /^\s*(\/\S+)\s+\(/.exec(line);
    const path = arrow?.[1] ?? bare?.[1];
    if (path) libs.push(path);
  }
  if (/not found/.test(result.stdout)) {
    throw new GatewayImageBuildError(
      `${program} needs libraries this machine lacks:\n${result.stdout}`,
    );
  }
  return libs;
}

/**
 * Makes a debootstrapped root filesystem the offline build's base: the unprivileged `clawdbot`
 * user and /data (the state volume) owned by it with mode 0700, and nothing an image must not
 * carry (package caches, the host's resolver config, device nodes).
 */
export function prepareGatewayBase(rootfs: string): void {
  addSystemUser(rootfs, {
    name: GATEWAY_USER_NAME,
    uid: GATEWAY_UID,
    gid: GATEWAY_GID,
    home: GATEWAY_STATE_DIR,
    shell: '/usr/sbin/nologin',
  });
  const data = join(rootfs, GATEWAY_STATE_DIR.replace(/^\//, ''));
  mkdirSync(data, { recursive: true });
  chownSync(data, GATEWAY_UID, GATEWAY_GID);
  chmodSync(data, 0o700);
  stripRootfsForImport(rootfs);
}

/** What the app layer is staged from. */
export interface GatewayAppStage {
  /** An empty directory standing for the image's root. */
  stage: string;
  /** The repository (or unpacked app) root: `out/`, `bin/`, `node_modules/`, package-lock.json. */
  appRoot: string;
  /** The Node binary to ship. */
  nodeBinary: string;
  /** Libraries Node needs that the base already has (not staged, never replaced). */
  skipLibraries: ReadonlySet<string>;
  progress: (line: string) => void;
}

/**
 * Stages the app layer as it will sit in the image: Node at /usr/local/bin/node (with each
 * library it needs that the base lacks), the app in /app (the build, the launcher, the sandbox
 * recipe, production node_modules) and `clawdbot` on PATH. Everything in it belongs to root
 * (the tar is made with numeric owners, the build runs as root), so the running gateway cannot
 * change its own code even where the root filesystem is writable.
 */
export function stageGatewayApp(input: GatewayAppStage): void {
  const { stage, appRoot, nodeBinary, progress } = input;
  const at = (path: string): string => join(stage, path.replace(/^\//, ''));

  const node = realpathSync(nodeBinary);
  mkdirSync(at('/usr/local/bin'), { recursive: true });
  cpSync(node, at('/usr/local/bin/node'));
  chmodSync(at('/usr/local/bin/node'), 0o755);
  const added: string[] = [];
  for (const lib of sharedLibraries(node)) {
    if (input.skipLibraries.has(lib)) continue;
    mkdirSync(dirname(at(lib)), { recursive: true });
    cpSync(realpathSync(lib), at(lib));
    added.push(lib);
  }
  progress(
    `      node ${node} (${Math.round(statSync(node).size / 1e6)} MB)${added.length > 0 ? `, with ${added.join(' ')}` : ''}`,
  );

  const app = at(GATEWAY_APP_DIR);
  mkdirSync(app, { recursive: true });
  for (const entry of GATEWAY_APP_FILES) {
    const from = join(appRoot, entry);
    if (!existsSync(from)) {
      throw new GatewayImageBuildError(
        `${from} is missing${entry === 'out' ? ': run npm run build first' : ''}`,
      );
    }
    cpSync(from, join(app, entry), { recursive: true });
  }
  const dirs = productionPackageDirs(readFileSync(join(appRoot, 'package-lock.json'), 'utf8'));
  let copied = 0;
  for (const dir of dirs) {
    const from = join(appRoot, dir);
    // An optional dependency for another platform is in the lock but was never installed.
    if (!existsSync(from)) continue;
    // Nested node_modules are entries of their own (a dev-only one must not ride along).
    cpSync(from, join(app, dir), {
      recursive: true,
      filter: (source) => source === from || !source.slice(from.length).includes('/node_modules'),
    });
    copied += 1;
  }
  progress(`      app: ${GATEWAY_APP_FILES.join(', ')} and ${copied} production packages`);
  symlinkSync(`${GATEWAY_APP_DIR}/bin/clawdbot.js`, at('/usr/local/bin/clawdbot'));
  chmodSync(join(app, 'bin', 'clawdbot.js'), 0o755);
  spawnSync('chown', ['-R', '0:0', stage]);
  spawnSync('chmod', ['-R', 'a+rX,go-w', app]);
}

/**
 * Checks that `better-sqlite3` in `appRoot/node_modules` loads in `nodeBinary`: it is a native
 * module built for one Node ABI, and an image whose Node cannot load it would start and die.
 */
export function checkNativeModules(appRoot: string, nodeBinary: string): void {
  const result = spawnSync(
    nodeBinary,
    ['-e', "new (require('better-sqlite3'))(':memory:').close()"],
    { cwd: appRoot, encoding: 'utf8' },
  );
  if (result.status !== 0) {
    throw new GatewayImageBuildError(
      `better-sqlite3 in ${appRoot}/node_modules does not load in ${nodeBinary} ` +
        `(${result.stderr.trim().split('\n').slice(-1)[0] ?? `exit ${String(result.status)}`}): ` +
        `run npm rebuild better-sqlite3 with that Node, then build again`,
    );
  }
}
