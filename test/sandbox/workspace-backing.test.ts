import { describe, expect, it } from 'vitest';
import { SandboxConfigSchema } from '../../src-shared/config/sandbox-schema.js';
import { resolveWorkspaceBacking } from '../../src-main/sandbox/sandbox-manager.js';
import {
  helperContainerSpec,
  workspaceVolumeName,
} from '../../src-main/sandbox/workspace-image.js';

/**
 * Where a workspace image lives. A gateway in a container talking to its host's engine must
 * never hand the engine its own paths (the reference mounted its container-internal paths as
 * workspaces): the helper then mounts a named volume of the engine instead.
 */
describe('workspace backing', () => {
  const user = { uid: 10001, gid: 10001 };
  const workspaceDir = '/data/sandboxes/dm-telegram-1001-0a1b2c3d';

  it('binds the workspace directory of a gateway that shares the engine’s filesystem', () => {
    const spec = helperContainerSpec({ kind: 'attach', workspaceDir, maxMiB: 64, user });
    expect(spec.HostConfig?.Mounts).toEqual([
      expect.objectContaining({ Type: 'bind', Source: workspaceDir, Target: '/ws' }),
    ]);
  });

  it('mounts a named, labelled volume of the engine under the volume backing, no path of ours', () => {
    const spec = helperContainerSpec({
      kind: 'attach',
      workspaceDir,
      maxMiB: 64,
      user,
      backing: 'volume',
    });
    const mounts = spec.HostConfig?.Mounts ?? [];
    expect(mounts).toHaveLength(1);
    expect(mounts[0]).toMatchObject({
      Type: 'volume',
      Source: 'clawdbot-ws-dm-telegram-1001-0a1b2c3d',
      Target: '/ws',
    });
    expect(mounts[0]?.VolumeOptions?.Labels).toEqual({
      'clawdbot.workspace': 'dm-telegram-1001-0a1b2c3d',
    });
    expect(JSON.stringify(spec)).not.toContain('/data/');
    expect(workspaceVolumeName(workspaceDir)).toBe('clawdbot-ws-dm-telegram-1001-0a1b2c3d');
  });

  it('defaults to auto, which is the state directory outside a container', () => {
    expect(SandboxConfigSchema.parse({}).workspace.backing).toBe('auto');
    // These tests run on the host (a machine that is not a container, even with /.dockerenv).
    expect(resolveWorkspaceBacking('auto')).toBe('host-dir');
    expect(resolveWorkspaceBacking('volume')).toBe('volume');
    expect(() => SandboxConfigSchema.parse({ workspace: { backing: 'nfs' } })).toThrow();
  });
});
