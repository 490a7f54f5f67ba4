/**
 * Busy sandboxes for C): labelled containers of the sandbox image, each appending the wall-clock
 * time to its workspace file every 10 ms, and what they wrote, read after they are gone. The
 * workspace is a host directory bound into the container, so the files outlive their containers
 * and the last line of each is the last thing any sandboxed process did.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  INSTALLATION_LABEL,
  SANDBOX_LABEL,
  SESSION_KEY_LABEL,
} from '../../src-main/docker/sandbox-labels.js';
import { DEFAULT_SANDBOX_IMAGE } from '../../src-shared/config/sandbox-schema.js';
import { NAME_PREFIX } from './containers.js';
import { tempDirs } from './context.js';

/** A set of busy sandboxes: their ids and their workspace directories on the host. */
export interface BusySet {
  ids: string[];
  workspaces: string[];
}

/** Where the engine logged the end of each container: ms since the epoch of its `destroy`. */
export type DestroyTimes = Map<string, number>;

/**
 * Starts `count` busy sandboxes of `installationId` in parallel (never timed) and waits until
 * every one has written a few timestamps, so each is running its loop when the timing starts.
 */
export async function startBusySandboxes(
  docker: Docker,
  tag: string,
  count: number,
  installationId: string,
  onCreated: (id: string) => void,
): Promise<BusySet> {
  const { BUSY_LOOP } = await import('../../test/helpers/busy-sandbox.js');
  const root = tempDirs.make('clawdbot-bench-busy-');
  const workspaces = Array.from({ length: count }, (_, i) => join(root, String(i)));
  const ids = await Promise.all(
    workspaces.map(async (workspace, i) => {
      mkdirSync(workspace);
      const name = `${NAME_PREFIX}${tag}-${i}`;
      const container = await docker.createContainer({
        name,
        Image: DEFAULT_SANDBOX_IMAGE,
        Cmd: ['bash', '-c', BUSY_LOOP],
        // The host directory belongs to root; the loop only needs to write into it.
        User: '0',
        WorkingDir: '/workspace',
        Labels: {
          [SANDBOX_LABEL]: '1',
          [INSTALLATION_LABEL]: installationId,
          [SESSION_KEY_LABEL]: `bench:${name}`,
        },
        HostConfig: { NetworkMode: 'none', Binds: [`${workspace}:/workspace`] },
      });
      onCreated(container.id);
      await container.start();
      return container.id;
    }),
  );
  const deadline = performance.now() + 60_000;
  while (!workspaces.every((w) => readLines(w).length >= 3)) {
    if (performance.now() > deadline) throw new Error('busy sandboxes did not start writing');
    await sleep(20);
  }
  return { ids, workspaces };
}

/** The last timestamp any of the set wrote, in ms since the epoch. */
export function lastWrite(set: BusySet): number {
  let last = 0;
  for (const workspace of set.workspaces) {
    const line = readLines(workspace).at(-1);
    if (line !== undefined) last = Math.max(last, Number(line) * 1000);
  }
  return last;
}

function readLines(workspace: string): string[] {
  try {
    return readFileSync(join(workspace, 'ts'), 'utf8').trim().split('\n').filter(Boolean);
  } catch {
    return [];
  }
}

/**
 * Records the engine's `destroy` events from now on, so "removed" is the engine's own moment and
 * not a poll that would load the engine while it works.
 */
export async function watchDestroys(
  docker: Docker,
): Promise<{ until(ids: string[]): Promise<number>; stop(): void }> {
  const { recordContainerEvents } = await import('../../test/helpers/busy-sandbox.js');
  const times: DestroyTimes = new Map();
  const waiters = new Set<() => void>();
  const recorder = await recordContainerEvents(docker, (event) => {
    if (event.action !== 'destroy') return;
    times.set(event.id, event.at);
    for (const wake of waiters) wake();
  });
  return {
    /** Resolves with the last destroy time of `ids` once every one was destroyed (60 s at most). */
    until(ids) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error('not every busy sandbox was removed within 60 s'));
        }, 60_000);
        function check(): void {
          if (!ids.every((id) => times.has(id))) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(Math.max(...ids.map((id) => times.get(id)!)));
        }
        waiters.add(check);
        check();
      });
    },
    stop: () => recorder.stop(),
  };
}

/** Now, on the wall clock the loops read (ms since the epoch). */
export function epochNow(): number {
  return Date.now();
}
