import type { EngineHealth } from '../../src-shared/domain/engine-health.js';

/** The engine in the status bar: a short label, the sentence behind it, and how it is doing. */
export interface EngineWords {
  label: string;
  detail: string;
  health: 'ok' | 'warn' | 'bad';
}

/**
 * The engine's health in a few words: "Docker 20.10.24 · runsc" (kind, version, the runtime
 * sandboxes run under) or "Engine unreachable", from the snapshot's background check (at most
 * every 15 s), so no view has to ask the engine itself.
 */
export function engineWords(health: EngineHealth): EngineWords {
  if (!health.reachable)
    return {
      label: 'Engine unreachable',
      detail: `Sandboxed tools are refused until the engine answers: ${health.error}`,
      health: 'bad',
    };
  const kind = health.kind === 'podman' ? 'Podman' : 'Docker';
  const runtime = health.runtime.inUse ?? 'default runtime';
  const label = `${kind}${health.version ? ` ${health.version}` : ''} · ${runtime}`;
  if (!health.runtime.available)
    return {
      label,
      detail: `The runtime ${runtime} is missing from the engine: sandboxed tools are refused.`,
      health: 'bad',
    };
  if (!health.image.present)
    return {
      label,
      detail: `The sandbox image ${health.image.name} is missing: sandboxed tools are refused until it is built.`,
      health: 'warn',
    };
  return {
    label,
    detail: `Reachable; ${health.sandboxes} sandbox${health.sandboxes === 1 ? '' : 'es'} of this installation.`,
    health: 'ok',
  };
}
