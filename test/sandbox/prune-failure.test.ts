import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src-main/logging/logger.js';
import { SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import { scratchDir } from './sandbox-test-kit.js';

/**
 * Pruning is housekeeping beside tool calls: a tool call starts it when one is due, it must never
 * fail that call, and its failures must not vanish either. No engine is needed: one that is not
 * there makes both the call and the prune fail.
 */
describe('sandbox pruning that fails', () => {
  it('is started by a tool call, never fails it, and is logged with why', async () => {
    const state = scratchDir('prune-failure');
    const lines: string[] = [];
    try {
      const manager = new SandboxManager({
        stateDir: state.dir,
        docker: new Docker({ socketPath: NO_DOCKER_HOST.replace('unix://', ''), timeout: 1000 }),
        log: createLogger({ process: 'gateway', scope: 'sandbox', write: (l) => lines.push(l) }),
      });
      // The call fails on its own account (no engine); the prune it started fails beside it.
      await expect(manager.exec('dm:telegram:1', 'true')).rejects.toThrow(/Docker/);
      await waitFor('the prune failure logged', () => lines.length >= 1);
      const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records.map(({ level, scope, msg }) => ({ level, scope, msg }))).toEqual([
        { level: 'warn', scope: 'sandbox', msg: 'pruning sandboxes failed' },
      ]);
      expect(records[0]?.['error']).toMatch(/^Docker is not reachable at \/nonexistent\//);
      // Called directly, it resolves with nothing pruned rather than rejecting.
      await expect(manager.pruneIfDue()).resolves.toEqual([]);
    } finally {
      state.remove();
    }
  });
});
