import Docker from 'dockerode';
import { describe, expect, it } from 'vitest';
import { SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';

describe('pruning idle sandboxes', () => {
  const stateDir = useTempStateDirs();

  it('is started by a tool call, never fails it, and a prune that fails is reported', async () => {
    const failures: unknown[] = [];
    const manager = new SandboxManager({
      stateDir: stateDir(),
      docker: new Docker({ socketPath: '/nonexistent/clawdbot-prune.sock', timeout: 1000 }),
      onPruneFailed: (error) => failures.push(error),
    });
    // The call fails on its own account (no engine); the prune it started fails beside it.
    await expect(manager.exec('dm:telegram:1', 'true')).rejects.toThrow(/Docker/);
    await waitFor('the prune failure reported', () => failures.length === 1);
    expect(String(failures[0])).toMatch(/ENOENT|nonexistent/);
  });
});
