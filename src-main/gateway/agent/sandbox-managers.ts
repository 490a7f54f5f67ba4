import type { Config } from '../../../src-shared/config/schema.js';
import { SandboxManager } from '../../sandbox/sandbox-manager.js';
import type { WorkspaceFullEvent } from '../../sandbox/workspace-full.js';
import type { AgentServiceOptions } from './agent-service-options.js';

/** The agent's sandbox manager, for whichever `agent.sandbox` config is in force. */
export class SandboxManagers {
  private sandboxes: { key: string; manager: SandboxManager } | null = null;

  constructor(
    private readonly options: Pick<
      AgentServiceOptions,
      'stateDir' | 'docker' | 'log' | 'notifyOwner'
    >,
  ) {}

  /** The sandbox manager for the config in force (rebuilt when `agent.sandbox` changes). */
  manager(config: Config): SandboxManager {
    const key = JSON.stringify(config.agent.sandbox);
    if (this.sandboxes?.key !== key) {
      this.sandboxes = {
        key,
        manager: new SandboxManager({
          stateDir: this.options.stateDir,
          config: config.agent.sandbox,
          docker: this.options.docker,
          log: this.options.log.child('sandbox'),
          onWorkspaceFull: (event) => this.workspaceFull(event),
        }),
      };
    }
    return this.sandboxes.manager;
  }

  /**
   * A session's workspace just filled up: the owner is told once (the manager does not report
   * it again until the workspace has had room since), however many calls fail meanwhile.
   */
  private workspaceFull(event: WorkspaceFullEvent): void {
    this.options.log.warn('sandbox workspace full', {
      session: event.scopeKey,
      container: event.container,
      maxMiB: event.maxMiB,
    });
    this.options.notifyOwner(
      `The workspace of ${event.scopeKey} is full: it has reached its limit of ${event.maxMiB} MiB ` +
        '(agent.sandbox.workspace.maxMiB), so its writes fail with "workspace full" until files ' +
        'are deleted there or the limit is raised. The host disk and other sessions are not affected.',
    );
  }
}
