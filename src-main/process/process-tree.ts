import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Every (pid, parent pid) pair on the machine. */
function listParents(): Map<number, number> {
  const parents = new Map<number, number>();
  if (process.platform === 'linux') {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      try {
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
        parents.set(Number(entry), ppid);
      } catch {
        // The process ended while we were reading: it has no children to worry about.
      }
    }
    return parents;
  }
  const out = execFileSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  for (const line of out.split('\n')) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid !== undefined && ppid !== undefined && !Number.isNaN(pid)) parents.set(pid, ppid);
  }
  return parents;
}

/** The pid and all its descendants, root first. */
export function processTree(rootPid: number): number[] {
  const parents = listParents();
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) {
    const list = children.get(ppid) ?? [];
    list.push(pid);
    children.set(ppid, list);
  }
  const tree: number[] = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    if (tree.includes(pid)) continue;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

function signal(pid: number, sig: NodeJS.Signals): boolean {
  try {
    process.kill(pid, sig);
    return true;
  } catch {
    // Gone already (ESRCH) or not ours (EPERM): the false return is the whole answer, and the
    // caller reports only the pids that did receive the signal.
    return false;
  }
}

/**
 * SIGKILLs a process and every descendant. The tree is frozen with SIGSTOP first, so nothing in
 * it can fork a new child between our listing it and killing it; we re-list until no new pid
 * appears, then kill them all. Returns the pids that received SIGKILL.
 */
export function killProcessTree(rootPid: number): number[] {
  if (process.platform === 'win32') {
    try {
      execFileSync('taskkill', ['/pid', String(rootPid), '/T', '/F'], { stdio: 'ignore' });
      return [rootPid];
    } catch {
      // taskkill failed (the process is gone, or access denied): no pid was killed, and the
      // empty list says exactly that to the kill report.
      return [];
    }
  }
  const frozen = new Set<number>();
  for (let round = 0; round < 10; round++) {
    const fresh = processTree(rootPid).filter((pid) => !frozen.has(pid));
    if (fresh.length === 0) break;
    for (const pid of fresh) {
      signal(pid, 'SIGSTOP');
      frozen.add(pid);
    }
  }
  return [...frozen].filter((pid) => signal(pid, 'SIGKILL'));
}
