import type { SandboxConfig } from '../../src-shared/config/sandbox-schema.js';
import type { EngineAddress, EngineHealth } from '../../src-shared/domain/engine-health.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { describeDockerError, dockerStatus } from './docker-errors.js';
import { type EngineRuntimeInfo, runtimeStatus } from './engine-runtime.js';
import { type EngineTarget, resolveEngine } from './engine-target.js';
import { engineRequest } from './kill-engine.js';
import { type EngineVersionInfo, engineKindOf } from './engine-kind.js';
import { INSTALLATION_LABEL, SANDBOX_LABEL_FILTER } from './sandbox-labels.js';

export type { EngineHealth } from '../../src-shared/domain/engine-health.js';

/**
 * How long `clawdbot status` waits for a local engine before calling it unreachable. Podman
 * answers `/info` by asking its OCI runtime and conmon for their versions (processes it starts),
 * which on a busy machine takes seconds; Docker answers in milliseconds.
 */
export const ENGINE_HEALTH_TIMEOUT_MS = 6000;

/**
 * The same for a remote engine: over SSH, the handshake and starting `docker system dial-stdio`
 * on the engine's host come first, and take seconds on a busy small machine.
 */
export const REMOTE_ENGINE_HEALTH_TIMEOUT_MS = 10_000;

const DAY_MS = 24 * 60 * 60 * 1000;

/** What status may show of where an engine is: its address and transport, never a key. */
export function engineAddress(target: EngineTarget): EngineAddress {
  const { endpoint, source, context, tls, remote } = target;
  return { endpoint, source, context, tls, remote };
}

/**
 * Asks the sandbox engine (`agent.sandbox.engine`, else `DOCKER_HOST`, else the local socket)
 * for its version and runtimes, the sandbox image and this installation's sandbox count, with
 * the lightweight client (no dockerode: `clawdbot status` stays quick), within
 * {@link ENGINE_HEALTH_TIMEOUT_MS}. Never throws: an engine that does not answer, or a setting
 * that cannot be resolved, is reported.
 */
export async function checkEngineHealth(
  sandbox: Pick<SandboxConfig, 'engine' | 'docker'>,
  installation: string | null,
  env: NodeJS.ProcessEnv = process.env,
  now = Date.now(),
): Promise<EngineHealth> {
  const configured = sandbox.docker.runtime;
  let target: EngineTarget;
  try {
    target = resolveEngine(sandbox.engine, env);
  } catch (error) {
    return {
      reachable: false,
      address: null,
      error: describeError(error),
      runtime: { configured: configured ?? null },
    };
  }
  const timeoutMs = target.remote ? REMOTE_ENGINE_HEALTH_TIMEOUT_MS : ENGINE_HEALTH_TIMEOUT_MS;
  const signal = AbortSignal.timeout(timeoutMs);
  const ask = <T>(path: string, query: Record<string, string> = {}): Promise<T> =>
    engineRequest<T>(target, 'GET', path, query, signal);
  try {
    // One after the other: over SSH each concurrent request would open a channel of its own
    // (and start a `docker` process on the engine's host); in turn, they reuse one.
    // Its answer also says whether the engine is Podman's (see engine-kind.ts).
    const info = await ask<EngineRuntimeInfo & EngineVersionInfo & { ServerVersion?: string }>(
      '/info',
    );
    const image = await ask<{ Created?: string }>(
      `/images/${encodeURIComponent(sandbox.docker.image)}/json`,
    ).catch((error: unknown) => {
      if (dockerStatus(error) === 404) return null;
      throw error;
    });
    const sandboxes = await ask<unknown[]>('/containers/json', {
      all: 'true',
      filters: JSON.stringify({
        label: [
          SANDBOX_LABEL_FILTER,
          ...(installation !== null ? [`${INSTALLATION_LABEL}=${installation}`] : []),
        ],
      }),
    });
    const createdAt = image?.Created ? Date.parse(image.Created) : NaN;
    return {
      reachable: true,
      address: engineAddress(target),
      version: info.ServerVersion ?? null,
      kind: engineKindOf(info),
      runtime: runtimeStatus(info, configured),
      image: {
        name: sandbox.docker.image,
        present: image !== null,
        createdAt: Number.isFinite(createdAt) ? createdAt : null,
        ageDays: Number.isFinite(createdAt)
          ? Math.max(0, Math.floor((now - createdAt) / DAY_MS))
          : null,
      },
      sandboxes: sandboxes.length,
    };
  } catch (error) {
    return {
      reachable: false,
      address: engineAddress(target),
      error: signal.aborted ? `no answer within ${timeoutMs / 1000} s` : describeDockerError(error),
      runtime: { configured: configured ?? null },
    };
  }
}
