import type Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { collectDocker } from '../../src-main/audit/collect-docker.js';

/**
 * How the engine's answers become container facts. The engine is a stand-in answering with the
 * shapes Docker's API returns: a real tampered container would be removed by any concurrent
 * kill-switch test, and would be one for other suites to trip over.
 */

type Inspect = Partial<Docker.ContainerInspectInfo> & { HostConfig: Docker.HostConfig };
type Mount = Docker.ContainerInspectInfo['Mounts'][number];
const mount = (Type: Mount['Type'], Source: string, Destination: string): Mount => ({
  Type,
  Source,
  Destination,
  Mode: '',
  RW: true,
  Propagation: 'rprivate',
});

function engine(containers: Record<string, Inspect | 'gone'>): {
  docker: Docker;
  filters: unknown[];
} {
  const filters: unknown[] = [];
  const docker = {
    listContainers: (options: { filters: unknown }) => {
      filters.push(options.filters);
      return Promise.resolve(Object.keys(containers).map((Id) => ({ Id })));
    },
    info: () => Promise.resolve({ Runtimes: { runc: {}, runsc: {} }, DefaultRuntime: 'runc' }),
    getContainer: (id: string) => ({
      inspect: () => {
        const info = containers[id];
        return info === 'gone' || info === undefined
          ? Promise.reject(new Error('no such container'))
          : Promise.resolve(info);
      },
    }),
  };
  return { docker: docker as unknown as Docker, filters };
}

describe('collecting sandbox containers', () => {
  it('reads privilege, binds (both forms), added capabilities and network of labelled containers', async () => {
    const { docker, filters } = engine({
      a: {
        Name: '/clawdbot-sbx-a',
        Mounts: [
          mount('bind', '/srv/ws/a', '/workspace'),
          mount('volume', '/var/lib/docker/volumes/v', '/v'),
        ],
        HostConfig: {
          Privileged: true,
          Binds: ['/var/run/docker.sock:/var/run/docker.sock:ro'],
          CapAdd: ['SYS_ADMIN'],
          NetworkMode: 'bridge',
        },
      },
      b: 'gone',
    });
    const fact = await collectDocker(docker);
    expect(filters).toEqual([{ label: ['clawdbot.sandbox=1'] }]);
    expect(fact).toEqual({
      reachable: true,
      containers: [
        {
          name: 'clawdbot-sbx-a',
          privileged: true,
          bindSources: ['/srv/ws/a', '/var/run/docker.sock'],
          capAdd: ['SYS_ADMIN'],
          networkMode: 'bridge',
        },
      ],
      runtimes: ['runc', 'runsc'],
    });
  });

  it('reports an engine that does not answer as unreachable, with the reason', async () => {
    const docker = {
      listContainers: () => Promise.reject(new Error('connect ENOENT /nonexistent.sock')),
    } as unknown as Docker;
    expect(await collectDocker(docker)).toEqual({
      reachable: false,
      error: 'connect ENOENT /nonexistent.sock',
    });
  });
});
