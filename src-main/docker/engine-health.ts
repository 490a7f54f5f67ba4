import { describeDockerError } from './docker-errors.js';
import { type EngineRuntimeInfo, type RuntimeStatus, runtimeStatus } from './engine-runtime.js';
import { engineRequest } from './kill-engine.js';
import { type EngineKind, type EngineVersionInfo, engineKindOf } from './engine-kind.js';

/**
 * How long `clawdbot status` waits for the engine before calling it unreachable. Podman answers
 * `/info` by asking its OCI runtime and conmon for their versions (processes it starts), which
 * on a busy machine takes seconds; Docker answers in milliseconds.
 */
export const ENGINE_HEALTH_TIMEOUT_MS = 6000;

/** The sandbox engine as `clawdbot status` reports it. */
export type EngineHealth =
  | {
      reachable: true;
      /** The engine's version (`ServerVersion`). */
      version: string | null;
      /** Docker's engine, or Podman's Docker-compatible service (from `/version`). */
      kind: EngineKind;
      /** The runtime sandboxes use, and whether the engine has it. */
      runtime: RuntimeStatus;
    }
  | {
      reachable: false;
      /** Why the engine could not be asked. */
      error: string;
      /** What is configured; whether the engine has it is unknown. */
      runtime: { configured: string | null };
    };

/**
 * Asks the sandbox engine (`DOCKER_HOST` or the local socket) for its version and runtimes, with
 * the lightweight client (no dockerode: `clawdbot status` stays quick), within
 * {@link ENGINE_HEALTH_TIMEOUT_MS}. Never throws: an engine that does not answer is reported.
 */
export async function checkEngineHealth(
  configuredRuntime: string | undefined,
): Promise<EngineHealth> {
  try {
    // One request: its answer also says whether the engine is Podman's (see engine-kind.ts).
    const info = await engineRequest<
      EngineRuntimeInfo & EngineVersionInfo & { ServerVersion?: string }
    >('GET', '/info', {}, AbortSignal.timeout(ENGINE_HEALTH_TIMEOUT_MS));
    return {
      reachable: true,
      version: info.ServerVersion ?? null,
      kind: engineKindOf(info),
      runtime: runtimeStatus(info, configuredRuntime),
    };
  } catch (error) {
    return {
      reachable: false,
      error: describeDockerError(error),
      runtime: { configured: configuredRuntime ?? null },
    };
  }
}
