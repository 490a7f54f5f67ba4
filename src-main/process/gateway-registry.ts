import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { gatewayLockDir } from '../state-layout.js';
import { isAlive, isSameProcess, processIdentity } from './process-identity.js';

/**
 * The environment variable a supervisor sets on the gateway it starts: the state directory the
 * gateway belongs to. Everything the gateway starts inherits it, so on Linux the kill switch
 * finds them by it even when no record or lock file names them.
 */
export const GATEWAY_MARKER_ENV = 'CLAWDBOT_GATEWAY_OF';

/** How a gateway was started, as it says in its lock file. */
export type GatewayKind = 'supervised' | 'foreground';

const LockFileSchema = z.object({
  pid: z.number().int().positive(),
  identity: z.string().nullable(),
  startedAt: z.number().nullable().default(null),
  kind: z.enum(['supervised', 'foreground']).nullable().default(null),
});

/** A live gateway process of a state directory, found without the database. */
export interface FoundGateway {
  pid: number;
  /** Its start identity (see process-identity): a recycled pid never matches. */
  identity: string | null;
  kind: GatewayKind | null;
  /** How it was found: its own lock file, (Linux) the marker in its environment, or the database. */
  via: 'lock-file' | 'environment' | 'database';
}

/** The marker value (`CLAWDBOT_GATEWAY_OF=…`) of a state directory's gateways. */
export function gatewayMarker(stateDir: string): string {
  return resolve(stateDir);
}

/**
 * Announces this process as a gateway of the state directory: writes `gateways/<pid>.json`
 * (pid, start identity, start time), atomically and private. The gateway does this itself, first
 * thing, before it looks at the kill switch — so a kill either finds the file or is seen by the
 * gateway when it reads the switch next. Returns the function that removes the file on exit.
 */
export function registerGatewayProcess(
  stateDir: string,
  kind: GatewayKind,
  now: () => number = Date.now,
): () => void {
  const dir = gatewayLockDir(stateDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = join(dir, `${process.pid}.json`);
  const temp = `${file}.tmp`;
  const lock = { pid: process.pid, identity: processIdentity(process.pid), startedAt: now(), kind };
  writeFileSync(temp, `${JSON.stringify(lock)}\n`, { mode: 0o600 });
  renameSync(temp, file);
  return () => rmSync(file, { force: true });
}

/**
 * Every live gateway process of the state directory, whatever the database says: from the lock
 * files (each verified by its start identity; stale ones are removed) and, with `environment`
 * on Linux, from a scan of every process's environment for the supervisor's marker (which also
 * finds what a gateway started). Never lists this process.
 */
export function findGatewayProcesses(
  stateDir: string,
  options: { environment?: boolean } = {},
): FoundGateway[] {
  const found = new Map<number, FoundGateway>();
  for (const lock of readLockFiles(stateDir)) found.set(lock.pid, lock);
  if (options.environment && process.platform === 'linux') {
    for (const pid of markedProcesses(gatewayMarker(stateDir))) {
      if (found.has(pid)) continue;
      const identity = processIdentity(pid);
      if (identity !== null && isSameProcess(pid, identity))
        found.set(pid, { pid, identity, kind: 'supervised', via: 'environment' });
    }
  }
  found.delete(process.pid);
  return [...found.values()];
}

function readLockFiles(stateDir: string): FoundGateway[] {
  const dir = gatewayLockDir(stateDir);
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    // No lock directory: no gateway of this state directory ever wrote a lock, so none is found.
    return [];
  }
  const live: FoundGateway[] = [];
  for (const name of names) {
    if (!/^\d+\.json$/.test(name)) continue;
    const file = join(dir, name);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue; // Removed meanwhile: its gateway exited cleanly.
    }
    const parsed = safeJson(text);
    const lock = LockFileSchema.safeParse(parsed);
    if (lock.success && isSameProcess(lock.data.pid, lock.data.identity)) {
      live.push({
        pid: lock.data.pid,
        identity: lock.data.identity,
        kind: lock.data.kind,
        via: 'lock-file',
      });
      continue;
    }
    // A gateway that died without cleaning up (SIGKILL, a crash, a reboot), or a file we cannot
    // trust: it names no process we may kill, and it must not block a new gateway. A pid that is
    // alive with another identity is a recycled pid: the file is stale all the same.
    if (!lock.success || !isAlive(lock.data.pid) || lock.data.identity !== null)
      rmSync(file, { force: true });
  }
  return live;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // A lock file caught half-written or damaged: null fails the caller's schema check, the
    // file is treated as stale, and the scan by environment marker still finds its gateway.
    return null;
  }
}

/** Pids whose environment carries `CLAWDBOT_GATEWAY_OF=<marker>` (Linux, /proc). */
function markedProcesses(marker: string): number[] {
  const wanted = `${GATEWAY_MARKER_ENV}=${marker}`;
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let environ: string;
    try {
      environ = readFileSync(`/proc/${entry}/environ`, 'latin1');
    } catch {
      continue; // Gone, or another user's process (not ours to kill).
    }
    if (environ.split('\0').includes(wanted)) pids.push(Number(entry));
  }
  return pids;
}

/**
 * The live gateway (other than `exceptPid`) that the database record or a lock file names, if
 * any: one gateway per state directory, so a second would fight the first for the Telegram poll
 * and the WhatsApp link.
 */
export function otherLiveGateway(
  stateDir: string,
  recorded: { pid: number; identity: string | null } | null,
  exceptPid?: number,
): FoundGateway | null {
  const candidates = findGatewayProcesses(stateDir).filter((g) => g.pid !== exceptPid);
  if (
    recorded &&
    recorded.pid !== exceptPid &&
    recorded.pid !== process.pid &&
    isSameProcess(recorded.pid, recorded.identity) &&
    !candidates.some((g) => g.pid === recorded.pid)
  ) {
    candidates.unshift({ ...recorded, kind: null, via: 'database' });
  }
  return candidates[0] ?? null;
}
