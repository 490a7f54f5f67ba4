/**
 * Which OCI runtime sandboxes run under, as the engine reports it (`GET /info`: `Runtimes`, a
 * map keyed by name, and `DefaultRuntime`), against `agent.sandbox.docker.runtime`.
 */

/** The part of the engine's `/info` answer about runtimes. */
export interface EngineRuntimeInfo {
  Runtimes?: Record<string, unknown> | null;
  DefaultRuntime?: string | null;
}

/** The runtime sandboxes use, and whether the engine can run it. */
export interface RuntimeStatus {
  /** `agent.sandbox.docker.runtime`, or null when unset (the engine's default applies). */
  configured: string | null;
  /** The runtime sandboxes run under: the configured one, else the engine's default. */
  inUse: string | null;
  /** Whether the engine lists the runtime in use. */
  available: boolean;
  /** Every runtime the engine lists, by name. */
  runtimes: string[];
  /** The engine's default runtime (null when it does not say). */
  engineDefault: string | null;
}

/** The gVisor runtime's usual name, which the audit suggests when the engine has it. */
export const GVISOR_RUNTIME = 'runsc';

/** Where the configured runtime stands on an engine that answered `/info` with `info`. */
export function runtimeStatus(
  info: EngineRuntimeInfo,
  configured: string | undefined,
): RuntimeStatus {
  const runtimes = Object.keys(info.Runtimes ?? {}).sort();
  const engineDefault = info.DefaultRuntime ?? null;
  const inUse = configured ?? engineDefault;
  return {
    configured: configured ?? null,
    inUse,
    // An engine that names no default still runs its own default; a configured one must be listed.
    available: configured === undefined ? true : runtimes.includes(configured),
    runtimes,
    engineDefault,
  };
}

/**
 * How to give the engine the runtime `name`: gVisor's steps for `runsc`, else the general ones.
 * One sentence, lower-case start, no full stop (callers append the alternative).
 */
export function registerRuntimeFix(name: string): string {
  return name === GVISOR_RUNTIME
    ? `install gVisor (\`sudo apt-get install runsc\` on Debian/Ubuntu) and register it with the engine: add "runtimes": {"runsc": {"path": "/usr/bin/runsc", "runtimeArgs": ["--network=none"]}} to /etc/docker/daemon.json (or run \`sudo runsc install\`) and restart Docker`
    : `register it with the engine under "runtimes" in /etc/docker/daemon.json (or \`dockerd --add-runtime ${name}=/path/to/${name}\`) and restart Docker`;
}

/** The alternative to registering the runtime, appended to {@link registerRuntimeFix}. */
export const UNSET_RUNTIME_FIX =
  "or remove agent.sandbox.docker.runtime to use the engine's default runtime";

/**
 * Why sandboxed tools are refused when the engine lacks the configured runtime, naming the fix:
 * register it with the engine (gVisor's steps for `runsc`), or unset the setting.
 */
export function missingRuntimeMessage(status: RuntimeStatus): string {
  const name = status.configured ?? '';
  return `sandboxed tools are refused: ${missingRuntimeSummary(status)}. To fix: ${registerRuntimeFix(name)}; ${UNSET_RUNTIME_FIX}`;
}

/** What is missing, in one clause: the configured runtime and what the engine lists instead. */
export function missingRuntimeSummary(
  status: Pick<RuntimeStatus, 'configured' | 'runtimes'>,
): string {
  const listed = status.runtimes.length > 0 ? status.runtimes.join(', ') : 'none';
  return `agent.sandbox.docker.runtime is "${status.configured ?? ''}", but the Docker engine has no such runtime (it lists: ${listed})`;
}
