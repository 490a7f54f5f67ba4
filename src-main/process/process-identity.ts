import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/**
 * A string that identifies one process for its whole life: its start time. A pid alone is not
 * enough — after a crash and a reboot the recorded pid may belong to someone else's process,
 * and the kill switch must never SIGKILL a stranger.
 */
export function processIdentity(pid: number): string | null {
  if (!Number.isInteger(pid) || pid <= 0) return null;
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // The command name may contain spaces and parentheses: fields start after the last ')'.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // Field 22 of stat (starttime, in clock ticks since boot); index 19 after pid and comm.
      const startTicks = fields[19];
      return startTicks ? `linux-start:${startTicks}` : null;
    } catch {
      // No /proc entry: the process is gone, so it has no identity to compare (null says so).
      return null;
    }
  }
  if (process.platform === 'win32') return isAlive(pid) ? 'win32' : null;
  try {
    const started = execFileSync('ps', ['-o', 'lstart=', '-p', String(pid)], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    return started ? `ps-start:${started}` : null;
  } catch {
    // ps found no such process (or is missing): no identity, which callers treat as "not ours".
    return null;
  }
}

/** Whether a process with this pid exists (it may be a zombie or someone else's). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a process with this pid still runs: it exists and is not a zombie waiting for its parent. */
export function isRunning(pid: number): boolean {
  return isAlive(pid) && !isZombie(pid);
}

/**
 * Waits until none of these processes runs any more (gone, or a zombie its parent has yet to
 * reap), checking every few milliseconds for at most `timeoutMs`. A SIGKILLed process is torn
 * down by the kernel after the signal is sent, not when `kill()` returns, so a kill report waits
 * for this before it says the gateway is dead. Returns the pids still running at the deadline.
 */
export async function waitUntilStopped(
  pids: readonly number[],
  timeoutMs: number,
): Promise<number[]> {
  const deadline = performance.now() + timeoutMs;
  let running = pids.filter(isRunning);
  while (running.length > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2));
    running = running.filter(isRunning);
  }
  return running;
}

/**
 * Whether the recorded process is still the one running under that pid: alive, and with the
 * same identity as when it was recorded.
 */
export function isSameProcess(pid: number, identity: string | null): boolean {
  if (identity === null) return false;
  const now = processIdentity(pid);
  return now !== null && now === identity && !isZombie(pid);
}

function isZombie(pid: number): boolean {
  if (process.platform !== 'linux') return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    // No /proc entry: not a zombie, just gone; isAlive answers the rest.
    return false;
  }
}
