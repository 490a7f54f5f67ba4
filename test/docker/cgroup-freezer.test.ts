import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cgroupEmpty,
  findFreezerCgroup,
  freezeCgroup,
  freezerVersions,
  killFrozenCgroup,
} from '../../src-main/docker/cgroup-freezer.js';
import { readContainerFile } from '../../src-main/sandbox/workspace-archive.js';
import {
  TEST_IMAGE,
  dockerAvailable,
  ensureTestImage,
  testDockerClient,
} from '../helpers/docker.js';
import { runningAsRoot } from '../helpers/other-user.js';
import { waitFor } from '../helpers/wait.js';

const hasDocker = await dockerAvailable();
const versions = freezerVersions();

/**
 * A container whose first process and three background ones each append a counter to /workspace/n as
 * fast as they can: processes besides the first are what an engine's kill reaches last.
 */
async function busyContainer(docker: Docker, name: string): Promise<Docker.Container> {
  await removeLeftover(docker, name);
  const loop = 'i=0; while :; do i=$((i+1)); echo $i >> /workspace/n; done';
  const container = await docker.createContainer({
    name,
    Image: TEST_IMAGE,
    Cmd: ['sh', '-c', `mkdir -p /workspace; (${loop}) & (${loop}) & (${loop}) & ${loop}`],
    HostConfig: { NetworkMode: 'none' },
  });
  await container.start();
  return container;
}

/** A container of that name left by an interrupted earlier run. */
async function removeLeftover(docker: Docker, name: string): Promise<void> {
  await docker
    .getContainer(name)
    .remove({ force: true })
    .catch(() => undefined);
}

async function counterFile(docker: Docker, id: string): Promise<string> {
  return (await readContainerFile(docker, id, 'n')).toString('utf8');
}

// Root writes any cgroup; CI and this machine run the tests as root.
describe.skipIf(!hasDocker || !runningAsRoot || versions.length === 0)(
  "freezing a container through the kernel's cgroup freezer",
  () => {
    const docker = testDockerClient();
    beforeAll(() => ensureTestImage(docker));
    const made: Docker.Container[] = [];
    afterAll(async () => {
      await Promise.all(made.map((c) => c.remove({ force: true }).catch(() => undefined)));
    });

    it.each(versions)(
      'cgroup v%s: frozen as the kernel confirms, nothing writes after, killed without running again, then removed by the engine',
      async (version) => {
        const container = await busyContainer(docker, `clawdbot-test-cgroup-freeze-v${version}`);
        made.push(container);
        await waitFor(
          'the loops to write',
          async () => (await counterFile(docker, container.id).catch(() => '')).length > 1000,
        );
        const cgroup = findFreezerCgroup(container.id, [version]);
        expect(cgroup).toMatchObject({ version });
        expect(cgroup!.dir).toContain(container.id);

        expect(await freezeCgroup(cgroup!)).toBe('frozen');
        const atFreeze = await counterFile(docker, container.id);
        // The engine was not asked: it still calls the container running.
        expect((await container.inspect()).State).toMatchObject({ Running: true, Paused: false });

        expect(killFrozenCgroup(cgroup!)).toBeNull();
        // Its exit is the event that must come after any write the kill let through.
        const exit = (await container.wait({ condition: 'not-running' })) as { StatusCode: number };
        expect(exit.StatusCode).toBe(137);
        expect(await counterFile(docker, container.id)).toBe(atFreeze);
        expect(cgroupEmpty(cgroup!)).toBe(true);

        await container.remove({ force: true });
        await expect(container.inspect()).rejects.toMatchObject({ statusCode: 404 });
      },
    );

    it('finds no cgroup for a container that is not running, or an id that is not one', async () => {
      await removeLeftover(docker, 'clawdbot-test-cgroup-freeze-created');
      const container = await docker.createContainer({
        name: 'clawdbot-test-cgroup-freeze-created',
        Image: TEST_IMAGE,
        Cmd: ['true'],
      });
      made.push(container);
      expect(findFreezerCgroup(container.id)).toBeNull();
      expect(findFreezerCgroup('../../etc')).toBeNull();
    });
  },
);
