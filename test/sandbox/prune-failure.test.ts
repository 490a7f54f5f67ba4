import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src-main/logging/logger.js';
import { SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { scratchDir } from './sandbox-test-kit.js';

/**
 * Pruning is housekeeping beside tool calls: it must never fail one, and its failures must not
 * vanish either. No engine is needed: one that is not there makes pruning fail.
 */
describe('sandbox pruning that fails', () => {
  it('is logged, with why, and resolves with nothing pruned', async () => {
    const state = scratchDir('prune-failure');
    const lines: string[] = [];
    try {
      const manager = new SandboxManager({
        stateDir: state.dir,
        docker: new Docker({ socketPath: NO_DOCKER_HOST.replace('unix://', '') }),
        log: createLogger({ process: 'gateway', scope: 'sandbox', write: (l) => lines.push(l) }),
      });
      await expect(manager.pruneIfDue()).resolves.toEqual([]);
      const records = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(records.map(({ level, scope, msg }) => ({ level, scope, msg }))).toEqual([
        { level: 'warn', scope: 'sandbox', msg: 'pruning sandboxes failed' },
      ]);
      expect(records[0]?.['error']).toMatch(/^Docker is not reachable at \/nonexistent\//);
    } finally {
      state.remove();
    }
  });
});
