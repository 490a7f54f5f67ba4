import type Docker from 'dockerode';
import { installationId } from '../../src-main/installation-id.js';
import { dockerSocketOptions } from '../../src-main/docker/docker-client.js';

/** Every container the UI bench starts is named with this prefix, so cleanup finds strays. */
const NAME_PREFIX = 'clawdbot-bench-ui-';
/** Started this many at a time: a hundred at once only queues up inside the engine. */
const BATCH = 10;

/** The busy state's sandboxes on the bench's engine, or why there are none. */
export interface BenchSandboxes {
  /** The engine's client, for the supervisors; null when no engine answered. */
  docker: Docker | null;
  /** How many are running (0 without an engine). */
  running: number;
  /** Why the bench ran without sandboxes; null when they run. */
  missing: string | null;
  /** Force-removes every container this bench started. */
  remove(): Promise<void>;
}

/**
 * Starts `count` sleeping containers (the busybox test image, built locally when missing) on the
 * engine the app would use (DOCKER_HOST), labelled as the sandboxes of `stateDir`'s
 * installation, so that installation's supervisor lists and counts them as its own. Without a
 * reachable engine the bench runs without them and says so.
 */
export async function startBenchSandboxes(
  stateDir: string,
  count: number,
): Promise<BenchSandboxes> {
  const { default: DockerClient } = await import('dockerode');
  const docker = new DockerClient({ ...dockerSocketOptions(), timeout: 30_000 });
  const none = (why: string): BenchSandboxes => ({
    docker: null,
    running: 0,
    missing: why,
    remove: () => Promise.resolve(),
  });
  try {
    await docker.ping();
  } catch (error) {
    return none(
      `no Docker engine answered (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  const helpers = await import('../../test/helpers/docker.js');
  await helpers.ensureTestImage(docker);
  const owner = { installationId: installationId(stateDir) };
  const tag = `${NAME_PREFIX}${process.pid}-`;
  const remove = async (): Promise<void> => {
    const ours = await docker.listContainers({ all: true, filters: { name: [tag] } });
    await Promise.allSettled(ours.map((c) => docker.getContainer(c.Id).remove({ force: true })));
  };
  try {
    for (let first = 0; first < count; first += BATCH) {
      await Promise.all(
        Array.from({ length: Math.min(BATCH, count - first) }, (_, i) =>
          helpers.startTestContainer(docker, `${tag}${first + i}`, owner),
        ),
      );
    }
  } catch (error) {
    await remove();
    throw error;
  }
  return { docker, running: count, missing: null, remove };
}
