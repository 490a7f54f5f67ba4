/**
 * Which engine answers the Docker API: Docker's own `dockerd`, or Podman's Docker-compatible
 * service (`podman system service`), which names itself among the components of `GET /version`.
 * The two differ where the sandbox's workspace is mounted (see workspace-image.ts), so the
 * sandbox manager asks once per engine.
 */

/** `docker`: Docker's engine (or one that does not say); `podman`: Podman's compatible API. */
export type EngineKind = 'docker' | 'podman';

/**
 * The parts of the engine's `/version` or `/info` answer that name it: Podman lists itself among
 * the components of `/version`, and its `/info` carries the version of Buildah, its image builder.
 */
export interface EngineVersionInfo {
  Components?: { Name?: string }[] | null;
  BuildahVersion?: string | null;
}

/** The kind of engine that answered `/version` (or `/info`) with `answer`. */
export function engineKindOf(answer: EngineVersionInfo): EngineKind {
  const named = (answer.Components ?? []).some((c) => /^podman\b/i.test(c.Name ?? ''));
  return named || typeof answer.BuildahVersion === 'string' ? 'podman' : 'docker';
}

/** How an engine of `kind` is named to the user. */
export function engineName(kind: EngineKind): string {
  switch (kind) {
    case 'docker':
      return 'Docker';
    case 'podman':
      return 'Podman';
    default: {
      const never: never = kind;
      throw new Error(`unknown engine kind ${String(never)}`);
    }
  }
}
