import type { SandboxConfig } from '../../src-shared/config/sandbox-schema.js';
import { type EngineHealth, checkEngineHealth } from '../docker/engine-health.js';
import { installationId } from '../installation-id.js';
import type { EventHub } from './event-hub.js';

/** How old the sandbox engine's health in a status snapshot may be before it is asked again. */
const ENGINE_HEALTH_MAX_AGE_MS = 15_000;

/** What the engine health monitor needs. */
export interface EngineHealthMonitorOptions {
  stateDir: string;
  /** The sandbox settings in force, read on each ask. */
  sandbox: () => SandboxConfig;
  /** Where a changed answer is published, as `engine:changed`. */
  events: EventHub;
}

/**
 * The sandbox engine's health as the supervisor's status snapshot shows it: the last answer,
 * asked again in the background, and pushed to the UI when it changes.
 */
export class EngineHealthMonitor {
  /** The sandbox engine's last health answer, and when it came. */
  private last: { health: EngineHealth; at: number } | null = null;
  private asking = false;
  private closed = false;
  /** Asks the engine again every {@link ENGINE_HEALTH_MAX_AGE_MS}, so a change reaches the UI. */
  private readonly timer = setInterval(() => this.refresh(), ENGINE_HEALTH_MAX_AGE_MS).unref();

  constructor(private readonly options: EngineHealthMonitorOptions) {}

  /** The last answer; null until the engine has answered once. */
  health(): EngineHealth | null {
    return this.last?.health ?? null;
  }

  /**
   * Asks the sandbox engine how it is, in the background, when the last answer is older than
   * {@link ENGINE_HEALTH_MAX_AGE_MS}: a snapshot never waits for an engine (one that does not
   * answer would hold up the dashboard for seconds).
   */
  refresh(): void {
    const now = Date.now();
    if (this.asking || this.closed) return;
    if (this.last && now - this.last.at < ENGINE_HEALTH_MAX_AGE_MS) return;
    this.asking = true;
    let installation: string | null = null;
    try {
      installation = installationId(this.options.stateDir);
    } catch {
      // Counted across installations then; the kill switch logs why the id is unreadable.
    }
    void checkEngineHealth(this.options.sandbox(), installation)
      .then((health) => {
        const changed = JSON.stringify(health) !== JSON.stringify(this.last?.health);
        this.last = { health, at: Date.now() };
        // Pushed, so the dashboard and the status bar show it without asking again.
        if (changed && !this.closed) this.options.events.emit('engine:changed', health);
      })
      .finally(() => {
        this.asking = false;
      });
  }

  /** Stops asking; an answer still on its way is kept but not published. */
  close(): void {
    this.closed = true;
    clearInterval(this.timer);
  }
}
