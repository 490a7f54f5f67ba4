import type Docker from 'dockerode';
import type { SandboxConfig } from '../../src-shared/config/sandbox-schema.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { connectConfiguredDocker } from '../docker/docker-client.js';
import { killTargets, otherKillEngines } from '../docker/engine-record.js';
import { resolveEngine } from '../docker/engine-target.js';
import { type SandboxReach, installationReach } from '../docker/sandbox-labels.js';
import type { Logger } from '../logging/logger.js';
import type { KillSwitchDeps } from './kill-switch.js';

/** What the supervisor's sandbox engine access needs. */
export interface SandboxDockerOptions {
  stateDir: string;
  /** `agent.sandbox.engine` in force, read on each use. */
  engine: () => SandboxConfig['engine'];
  /** A client to use instead of the configured engine's (tests). */
  docker?: Docker;
  log: Logger;
}

/**
 * How the supervisor reaches its sandboxes: the Docker client for the engine in force, this
 * installation's reach on it, and the other engines the kill switch reaches too.
 */
export class SandboxDocker {
  /** Connected on first need: loading dockerode costs a quarter second we keep out of start-up. */
  private docker: Docker | Promise<Docker> | null;
  /** The engine setting {@link docker} was made for; null when it was given (tests). */
  private dockerKey: string | null = null;

  constructor(private readonly options: SandboxDockerOptions) {
    this.docker = options.docker ?? null;
  }

  client(): Docker | Promise<Docker> {
    // Made again when agent.sandbox.engine changes, so the kill switch reaches the engine in force.
    const engine = this.options.engine();
    const key = JSON.stringify(engine ?? null);
    if (this.docker === null || (this.dockerKey !== null && this.dockerKey !== key)) {
      this.docker = connectConfiguredDocker(engine);
      this.dockerKey = key;
    }
    return this.docker;
  }

  /** This installation's sandboxes: the supervisor's kill switch and sweeps touch no others. */
  reach(): SandboxReach {
    return installationReach(this.options.stateDir, (error) =>
      this.options.log.error(
        'the installation id cannot be read: the kill switch reaches every installation',
        {
          error: describeError(error),
        },
      ),
    );
  }

  /**
   * The engine in force (for the report) and every other engine this installation made
   * sandboxes on (engine-record.ts), which the kill switch reaches too. None when a client was
   * given (tests): its engine is not known here.
   */
  killEngines(): Pick<KillSwitchDeps, 'engine' | 'otherEngines'> {
    if (this.dockerKey === null && this.docker !== null) return {};
    const targets = killTargets(
      () => resolveEngine(this.options.engine()),
      this.options.stateDir,
      process.env,
      (error) =>
        this.options.log.error(
          'the engines used before cannot be read: the kill switch reaches only the one in force',
          {
            error: describeError(error),
          },
        ),
    );
    const [first] = targets;
    return {
      ...(first && {
        engine: { endpoint: first.endpoint, remote: 'target' in first && first.target.remote },
      }),
      otherEngines: otherKillEngines(targets).map((other) => {
        other.docker.catch(() => undefined);
        return other;
      }),
    };
  }
}
