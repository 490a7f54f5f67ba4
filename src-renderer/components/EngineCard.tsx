import type { EngineHealth } from '../../src-shared/domain/engine-health.js';
import { describeEngineAddress } from '../../src-shared/format/engine-address.js';
import { useApp } from '../state/store-context.js';

/** How old the image is, in words. */
function imageAge(ageDays: number | null): string {
  if (ageDays === null) return '';
  if (ageDays === 0) return ', built today';
  return `, ${ageDays} day${ageDays === 1 ? '' : 's'} old`;
}

function runtimeText(health: Extract<EngineHealth, { reachable: true }>): string {
  const { runtime } = health;
  const name = runtime.inUse ?? 'the engine’s default';
  if (!runtime.available) return `${name} — missing from the engine: sandboxed tools are refused`;
  return runtime.configured === null ? `${name} (engine default)` : name;
}

/**
 * Where sandboxes run, as the supervisor last asked (at most every 15 s): the engine's address
 * and TLS, version, runtime, the sandbox image and its age, this installation's sandboxes. An
 * engine that does not answer says why: sandboxed tools fail closed until it does.
 */
export function EngineCard() {
  const health = useApp((s) => s.snapshot?.sandboxEngine);
  if (health === undefined) return null;
  const kind = health.reachable ? (health.kind === 'podman' ? 'Podman' : 'Docker') : 'Engine';
  return (
    <section className="card" aria-label="Sandbox engine" data-testid="engine-card">
      <header className="card__header">
        <h2>Sandbox engine</h2>
        <span
          className={`badge badge--${health.reachable ? 'connected' : 'error'}`}
          data-testid="engine-state"
        >
          {health.reachable ? 'Reachable' : 'Unreachable'}
        </span>
      </header>
      <dl className="facts">
        <dt>Where</dt>
        <dd data-testid="engine-address">
          {health.address ? describeEngineAddress(health.address) : 'not resolved'}
        </dd>
        {health.reachable ? (
          <>
            <dt>Engine</dt>
            <dd data-testid="engine-version">
              {kind} {health.version ?? '(version unknown)'}
            </dd>
            <dt>Runtime</dt>
            <dd data-testid="engine-runtime">{runtimeText(health)}</dd>
            <dt>Image</dt>
            <dd data-testid="engine-image">
              <code>{health.image.name}</code>
              {health.image.present
                ? imageAge(health.image.ageDays)
                : ' — missing: sandboxed tools are refused until it is built'}
            </dd>
            <dt>Sandboxes</dt>
            <dd data-testid="engine-sandboxes">{health.sandboxes}</dd>
          </>
        ) : (
          <>
            <dt>Why</dt>
            <dd data-testid="engine-error">
              {health.error}. Sandboxed tools fail closed (they refuse to run) until it answers.
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
