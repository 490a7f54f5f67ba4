import type Docker from 'dockerode';
import { readContainerFile } from '../../src-main/sandbox/workspace-archive.js';

/**
 * A busy sandbox's loop: appends the wall-clock time (seconds, microseconds) to /workspace/ts
 * every 10 ms. Bash builtins only (`$EPOCHREALTIME`, a timed `read` on a pipe that never
 * delivers), so twenty of them do not fork a process a hundred times a second each.
 */
export const BUSY_LOOP =
  'exec 3< <(exec sleep infinity); while :; do echo "$EPOCHREALTIME" >> /workspace/ts; read -t 0.01 -u 3; done';

/**
 * Starts `loops` copies of the busy loop in a running container (detached execs, as its own
 * user, as a tool call's background jobs would be): processes that are not the container's
 * first one, which is what the engine's own kill of a container reaches last.
 */
export async function startBusyLoop(docker: Docker, containerId: string, loops = 1): Promise<void> {
  for (let i = 0; i < loops; i++) {
    const exec = await docker.getContainer(containerId).exec({
      Cmd: ['bash', '-c', BUSY_LOOP],
      WorkingDir: '/workspace',
    });
    await exec.start({ Detach: true });
  }
}

/** A busy sandbox's timestamp file as the engine reads it (frozen containers too). */
export async function readTimestamps(docker: Docker, containerId: string): Promise<string> {
  return (await readContainerFile(docker, containerId, 'ts')).toString('utf8');
}

/** The last timestamp in a busy loop's file, in ms since the epoch (0 when it is empty). */
export function lastTimestampMs(text: string): number {
  const last = text.trim().split('\n').at(-1) ?? '';
  return last === '' ? 0 : Number(last) * 1000;
}

/** One engine event about a container. */
export interface ContainerEvent {
  id: string;
  action: string;
  /** ms since the epoch, as the engine stamped it. */
  at: number;
}

/** Records the engine's container events from now on, until `stop`; `onEvent` hears each. */
export async function recordContainerEvents(
  docker: Docker,
  onEvent?: (event: ContainerEvent) => void,
): Promise<{ events: ContainerEvent[]; stop(): void }> {
  const stream = (await docker.getEvents({
    filters: { type: ['container'] },
  })) as NodeJS.ReadableStream & { destroy(): void };
  const events: ContainerEvent[] = [];
  let pending = '';
  stream.on('data', (chunk: Buffer) => {
    pending += chunk.toString('utf8');
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines.filter((l) => l.trim() !== '')) {
      const event = JSON.parse(line) as { Action: string; Actor: { ID: string }; timeNano: number };
      const recorded = { id: event.Actor.ID, action: event.Action, at: event.timeNano / 1e6 };
      events.push(recorded);
      onEvent?.(recorded);
    }
  });
  return { events, stop: () => stream.destroy() };
}

/** The actions the engine logged for one container, in order. */
export function actionsOf(events: readonly ContainerEvent[], id: string): string[] {
  return events.filter((e) => e.id === id).map((e) => e.action);
}
