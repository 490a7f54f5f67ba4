import type { EngineHealth } from '../domain/engine-health.js';

/**
 * The sandbox engine in a few words, for a table cell: "Docker 20.10.24 local", "Podman 5.2
 * local", "Docker 27.1 ssh://ci@build:22" (a remote engine by its address), or "unreachable"
 * with the address when it does not answer. The full address, TLS and source are
 * describeEngineAddress's.
 */
export function engineLabel(health: EngineHealth): string {
  if (!health.reachable) return `unreachable ${health.address?.endpoint ?? ''}`.trim();
  const kind = health.kind === 'podman' ? 'Podman' : 'Docker';
  const version = health.version ? ` ${health.version}` : '';
  return `${kind}${version} ${health.address.remote ? health.address.endpoint : 'local'}`;
}
