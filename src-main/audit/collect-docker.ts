import type Docker from 'dockerode';
import { connectConfiguredDocker } from '../docker/docker-client.js';
import type { EngineConfig } from '../../src-shared/config/engine-schema.js';
import { SANDBOX_LABEL_FILTER } from '../docker/sandbox-labels.js';
import type { EngineRuntimeInfo } from '../docker/engine-runtime.js';
import type { ContainerFact, DockerFact } from './audit-input.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** The audit must not hang on a stuck engine: a few seconds, then "unreachable". */
export const AUDIT_DOCKER_TIMEOUT_MS = 3000;

function factOf(info: Docker.ContainerInspectInfo): ContainerFact {
  const host = info.HostConfig;
  const mountSources = (info.Mounts ?? []).filter((m) => m.Type === 'bind').map((m) => m.Source);
  // `Binds` ("src:dst[:opts]") is where `docker run -v` puts them; `Mounts` has both forms.
  const bindSources = (host.Binds ?? []).map((b) => b.split(':')[0] ?? b);
  return {
    name: info.Name.replace(/^\//, ''),
    privileged: host.Privileged === true,
    bindSources: [...new Set([...mountSources, ...bindSources])],
    // Typed `any` by @types/dockerode; the engine sends a string array or null.
    capAdd: Array.isArray(host.CapAdd)
      ? (host.CapAdd as unknown[]).filter((c): c is string => typeof c === 'string')
      : [],
    networkMode: host.NetworkMode ?? 'default',
  };
}

/**
 * Asks the engine about every sandbox container (running or not: a stopped one restarts as it
 * was), and which runtimes it has. An engine that does not answer is a fact for the audit, never an error.
 */
export async function collectDocker(docker?: Docker, engine?: EngineConfig): Promise<DockerFact> {
  try {
    const client = docker ?? (await connectConfiguredDocker(engine, AUDIT_DOCKER_TIMEOUT_MS));
    const listed = await client.listContainers({
      all: true,
      filters: { label: [SANDBOX_LABEL_FILTER] },
    });
    const inspected = await Promise.all(
      listed.map((c) =>
        client
          .getContainer(c.Id)
          .inspect()
          // Removed between list and inspect (a prune, the kill switch): nothing to check.
          .catch(() => null),
      ),
    );
    // Best-effort: without an answer the runtime checks stay silent, the others still run.
    const info = (await Promise.resolve()
      .then(() => client.info())
      .catch(() => null)) as EngineRuntimeInfo | null;
    return {
      reachable: true,
      containers: inspected.filter((i) => i !== null).map(factOf),
      ...(info ? { runtimes: Object.keys(info.Runtimes ?? {}).sort() } : {}),
    };
  } catch (error) {
    return { reachable: false, error: describeError(error) };
  }
}
