import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeError } from '../../src-shared/errors/describe-error.js';

/**
 * Freezing a container straight through the kernel's cgroup freezer, for an engine on this
 * machine whose cgroups this process may write (root, or the owner of a rootless engine's
 * cgroups). The engine's pause API ends in the same freezer, but reaches it through the engine,
 * containerd, a shim and a `runc` process per container: under load that is hundreds of
 * milliseconds per container, serialised, where one write here takes microseconds. The engine is
 * not told: such a container must leave through {@link killFrozenCgroup} before the engine
 * removes it (the engine would otherwise wait forever for a frozen process to exit).
 */

/** A container's cgroup that this process can freeze: cgroup v2 (`cgroup.freeze`) or v1's freezer. */
export interface FreezerCgroup {
  version: 1 | 2;
  /** The container's cgroup directory in that hierarchy. */
  dir: string;
}

/** How long the kernel may take to report a cgroup frozen before its processes are killed instead. */
export const FREEZE_CONFIRM_TIMEOUT_MS = 1_000;

/** Where the cgroup hierarchies are mounted (read once per call: mounts rarely change). */
interface CgroupMounts {
  v2: string | null;
  v1Freezer: string | null;
}

/** Where engines put a container's cgroup, relative to a hierarchy's root, by cgroup driver. */
const CANDIDATE_DIRS = (id: string): string[] => [
  `docker/${id}`, // Docker, cgroupfs driver
  `system.slice/docker-${id}.scope`, // Docker, systemd driver
  `machine.slice/libpod-${id}.scope`, // Podman, systemd driver
  `libpod_parent/libpod-${id}`, // Podman, cgroupfs driver
];

/**
 * The container's cgroup this process can freeze directly, preferring cgroup v2 (whose frozen
 * processes a SIGKILL still ends, so nothing is ever thawed); null where there is none — an
 * engine on another machine or in another cgroup namespace, a platform without cgroups, files
 * this process may not write — and then the engine's pause API is what is left.
 */
export function findFreezerCgroup(
  containerId: string,
  versions: readonly (1 | 2)[] = [2, 1],
  options: { scanProcesses?: boolean } = {},
): FreezerCgroup | null {
  if (process.platform !== 'linux' || !/^[0-9a-f]{64}$/.test(containerId)) return null;
  const all = cgroupMounts();
  // A hybrid machine has both; `versions` picks which may be used, in its order.
  const mounts: CgroupMounts = {
    v2: versions.includes(2) ? all.v2 : null,
    v1Freezer: versions.includes(1) ? all.v1Freezer : null,
  };
  const candidates: FreezerCgroup[] = [];
  for (const version of versions) {
    const root = version === 2 ? mounts.v2 : mounts.v1Freezer;
    if (root !== null)
      for (const rel of CANDIDATE_DIRS(containerId))
        candidates.push({ version, dir: join(root, rel) });
  }
  const found = candidates.find(isWritableFreezer);
  if (found !== undefined || options.scanProcesses === false) return found ?? null;
  return findThroughProcesses(containerId, mounts, versions);
}

/**
 * The cgroup of a container that was frozen directly (by a kill switch that stopped before it
 * removed the container), which the engine still calls running: it must never be used again,
 * only ended ({@link killFrozenCgroup}) and removed. Looks only where engines put cgroups (no
 * pass over `/proc`), so it is cheap enough for every sandbox start.
 */
export function directlyFrozen(containerId: string): FreezerCgroup | null {
  const cgroup = findFreezerCgroup(containerId, [2, 1], { scanProcesses: false });
  if (cgroup === null) return null;
  try {
    const file = cgroup.version === 2 ? 'cgroup.freeze' : 'freezer.state';
    const state = readFileSync(join(cgroup.dir, file), 'utf8').trim();
    return state === '1' || state === 'FROZEN' || state === 'FREEZING' ? cgroup : null;
  } catch {
    return null;
  }
}

/** Which cgroup freezers this machine has mounted where this process can see them. */
export function freezerVersions(): (1 | 2)[] {
  const { v2, v1Freezer } = cgroupMounts();
  return [...(v2 !== null ? [2 as const] : []), ...(v1Freezer !== null ? [1 as const] : [])];
}

/**
 * Freezes a container's cgroup: `frozen` once the kernel reports every process in it frozen, or
 * `unconfirmed` if it has not within `timeoutMs` (a v1 freezer can stay FREEZING while a process
 * sleeps uninterruptibly). Throws if the cgroup cannot be written at all.
 */
export async function freezeCgroup(
  cgroup: FreezerCgroup,
  timeoutMs = FREEZE_CONFIRM_TIMEOUT_MS,
): Promise<'frozen' | 'unconfirmed'> {
  const { freezeFile, frozen, write } = freezerFiles(cgroup);
  writeFileSync(freezeFile, write);
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      if (frozen()) return 'frozen';
    } catch (error) {
      // Gone meanwhile (its last process exited and the engine removed it): nothing runs in it.
      if (isGone(error)) return 'frozen';
      throw error;
    }
    if (performance.now() > deadline) return 'unconfirmed';
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

/**
 * Ends every process of a (frozen) container's cgroup without one of them running another
 * instruction, so the engine can remove it. cgroup v2: `cgroup.kill` (or a SIGKILL to each
 * process), which ends frozen processes where they stand. v1: a frozen process cannot die, so
 * each gets a SIGKILL while frozen and only then is the cgroup thawed: the kernel delivers the
 * pending signal before any user-space instruction, exactly as the engine's own forced removal
 * of a paused container does. Resolves null, or what went wrong (the engine's removal follows
 * either way).
 */
export function killFrozenCgroup(cgroup: FreezerCgroup): string | null {
  try {
    if (cgroup.version === 2 && isFile(join(cgroup.dir, 'cgroup.kill'))) {
      writeFileSync(join(cgroup.dir, 'cgroup.kill'), '1');
      return null;
    }
    const refused = signalEveryProcess(cgroup.dir);
    // Thawed even if a process could not be signalled: a frozen v1 process cannot die, so the
    // engine's removal (which kills, then waits for the exit) would wait forever — thawing is
    // what that removal does for a paused container anyway.
    if (cgroup.version === 1) writeFileSync(join(cgroup.dir, 'freezer.state'), 'THAWED');
    return refused.length === 0
      ? null
      : `${refused.length} process(es) could not be signalled while frozen (${refused.join('; ')})`;
  } catch (error) {
    if (isGone(error)) return null; // The container went already: nothing left to end.
    return describeError(error);
  }
}

/** Whether a container's cgroup holds no process any more (or is gone). */
export function cgroupEmpty(cgroup: FreezerCgroup): boolean {
  try {
    return processesIn(cgroup.dir).length === 0;
  } catch (error) {
    return isGone(error);
  }
}

function freezerFiles(cgroup: FreezerCgroup): {
  freezeFile: string;
  write: string;
  frozen: () => boolean;
} {
  if (cgroup.version === 2) {
    return {
      freezeFile: join(cgroup.dir, 'cgroup.freeze'),
      write: '1',
      frozen: () => /^frozen 1$/m.test(readFileSync(join(cgroup.dir, 'cgroup.events'), 'utf8')),
    };
  }
  const state = join(cgroup.dir, 'freezer.state');
  // Reading freezer.state is what moves a v1 cgroup from FREEZING to FROZEN once all are frozen.
  return {
    freezeFile: state,
    write: 'FROZEN',
    frozen: () => readFileSync(state, 'utf8').trim() === 'FROZEN',
  };
}

/** SIGKILLs every process in a cgroup and its children; what could not be signalled, and why. */
function signalEveryProcess(dir: string): string[] {
  const refused: string[] = [];
  for (const pid of processesIn(dir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH')
        refused.push(`pid ${pid}: ${describeError(error)}`);
    }
  }
  return refused;
}

/** Every process in a cgroup directory and the directories below it. */
function processesIn(dir: string): number[] {
  const pids = readFileSync(join(dir, 'cgroup.procs'), 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map(Number);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    try {
      pids.push(...processesIn(join(dir, entry.name)));
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }
  return pids;
}

function isWritableFreezer(cgroup: FreezerCgroup): boolean {
  const file = join(cgroup.dir, cgroup.version === 2 ? 'cgroup.freeze' : 'freezer.state');
  try {
    const stat = statSync(file);
    // Root may write any cgroup file; anyone else only files they own (a rootless engine's).
    return process.getuid?.() === 0 || stat.uid === process.getuid?.();
  } catch {
    return false;
  }
}

/**
 * Finds the container's cgroup from its processes' `/proc/<pid>/cgroup`, for a cgroup parent the
 * candidates do not cover. Costs a pass over `/proc`, so it comes second.
 */
function findThroughProcesses(
  containerId: string,
  mounts: CgroupMounts,
  versions: readonly (1 | 2)[],
): FreezerCgroup | null {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return null;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${entry}/cgroup`, 'utf8');
    } catch {
      continue;
    }
    if (!text.includes(containerId)) continue;
    const found: FreezerCgroup[] = [];
    for (const line of text.split('\n')) {
      const [, controllers, path] = /^\d+:([^:]*):(.*)$/.exec(line) ?? [];
      if (path === undefined || !path.includes(containerId)) continue;
      // The container's own cgroup: the path up to and including the component naming it.
      const end = path.indexOf('/', path.indexOf(containerId));
      const own = end === -1 ? path : path.slice(0, end);
      if (controllers === '' && mounts.v2) found.push({ version: 2, dir: join(mounts.v2, own) });
      if (controllers?.split(',').includes('freezer') && mounts.v1Freezer)
        found.push({ version: 1, dir: join(mounts.v1Freezer, own) });
    }
    const writable = found
      .sort((a, b) => versions.indexOf(a.version) - versions.indexOf(b.version))
      .find(isWritableFreezer);
    if (writable) return writable;
  }
  return null;
}

function cgroupMounts(): CgroupMounts {
  const mounts: CgroupMounts = { v2: null, v1Freezer: null };
  let text: string;
  try {
    text = readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    return mounts;
  }
  for (const line of text.split('\n')) {
    // "<id> <parent> <major:minor> <root> <mount point> <options> ... - <fstype> <source> <super options>"
    const [before, after] = line.split(' - ');
    if (before === undefined || after === undefined) continue;
    const fields = before.split(' ');
    const [fstype, , superOptions = ''] = after.split(' ');
    // A mount of a cgroup below its root (another cgroup namespace) would not match the paths.
    if (fields[3] !== '/' || fields[4] === undefined) continue;
    const mountPoint = fields[4].replace(/\\040/g, ' ');
    if (fstype === 'cgroup2') mounts.v2 ??= mountPoint;
    if (fstype === 'cgroup' && superOptions.split(',').includes('freezer'))
      mounts.v1Freezer ??= mountPoint;
  }
  return mounts;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  return code === 'ENOENT' || code === 'ENODEV' || code === 'ESRCH';
}
