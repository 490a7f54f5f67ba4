import { describe, expect, it } from 'vitest';
import {
  SandboxConfigSchema,
  isSandboxedSession,
  sandboxScopeKey,
} from '../../src-shared/config/sandbox-schema.js';
import {
  buildContainerSpec,
  containerSpecHash,
  sandboxEnv,
} from '../../src-main/sandbox/container-spec.js';
import { resolveSandboxUser } from '../../src-main/sandbox/sandbox-user.js';
import { pruneVerdict } from '../../src-main/sandbox/prune-policy.js';
import { replaceExactlyOnce } from '../../src-main/sandbox/text-edit.js';
import { SandboxFileError } from '../../src-main/sandbox/sandbox-errors.js';

const defaults = SandboxConfigSchema.parse({});

describe('agent.sandbox defaults', () => {
  it('are the hardened ones of issue 5', () => {
    expect(defaults).toEqual({
      mode: 'non-main',
      scope: 'session',
      docker: {
        image: 'clawdbot-sandbox:bookworm',
        readOnlyRoot: true,
        tmpfs: ['/tmp', '/var/tmp', '/run'],
        network: 'none',
        capDrop: ['ALL'],
        noNewPrivileges: true,
        user: 'auto',
        pidsLimit: 256,
        memoryMiB: 512,
        cpus: 1,
        ulimits: { nofile: 1024, nproc: 4096 },
        env: {},
      },
      workspace: { maxMiB: 512, backing: 'auto' },
      prune: { idleHours: 24, maxAgeDays: 7 },
    });
  });

  it('fills in defaults under a partial section', () => {
    const config = SandboxConfigSchema.parse({ docker: { memoryMiB: 1024 } });
    expect(config.docker.memoryMiB).toBe(1024);
    expect(config.docker.network).toBe('none');
    expect(config.prune.idleHours).toBe(24);
  });

  it('rejects unknown keys and malformed values, so a typo cannot silently loosen it', () => {
    expect(SandboxConfigSchema.safeParse({ docker: { netwrok: 'bridge' } }).success).toBe(false);
    expect(SandboxConfigSchema.safeParse({ mode: 'some' }).success).toBe(false);
    expect(SandboxConfigSchema.safeParse({ docker: { user: 'root' } }).success).toBe(false);
    expect(SandboxConfigSchema.safeParse({ docker: { tmpfs: ['tmp'] } }).success).toBe(false);
    expect(SandboxConfigSchema.safeParse({ docker: { tmpfs: ['/a/../etc'] } }).success).toBe(false);
    expect(SandboxConfigSchema.safeParse({ docker: { env: { 'A B': 'x' } } }).success).toBe(false);
    expect(SandboxConfigSchema.safeParse({ docker: { pidsLimit: 0 } }).success).toBe(false);
  });

  it('names what is wrong with a workspace limit', () => {
    const message = (maxMiB: unknown): string => {
      const parsed = SandboxConfigSchema.safeParse({ workspace: { maxMiB } });
      return parsed.success ? '' : parsed.error.issues.map((i) => i.message).join('; ');
    };
    expect(message(8)).toBe('must be at least 32 (MiB)');
    expect(message(2 * 1024 * 1024)).toBe('must be at most 1048576 (MiB, 1 TiB)');
    expect(message(100.5)).toBe('must be a whole number of MiB');
    expect(SandboxConfigSchema.parse({ workspace: { maxMiB: 2048 } }).workspace.maxMiB).toBe(2048);
  });

  it("runs under the engine's default runtime unless one is named, and names what is wrong with a name", () => {
    expect(SandboxConfigSchema.parse({}).docker.runtime).toBeUndefined();
    expect(SandboxConfigSchema.parse({ docker: { runtime: ' runsc ' } }).docker.runtime).toBe(
      'runsc',
    );
    const message = (runtime: unknown): string => {
      const parsed = SandboxConfigSchema.safeParse({ docker: { runtime } });
      return parsed.success ? '' : parsed.error.issues.map((i) => i.message).join('; ');
    };
    expect(message('run sc')).toBe(
      'must be a runtime name the Docker engine lists (letters, digits, ".", "_", "-"), e.g. "runsc"',
    );
    expect(message('')).toMatch(/must be a runtime name/);
    expect(message(true)).toMatch(/expected string/);
  });

  it('names what is wrong with a per-process limit', () => {
    const problem = (ulimits: unknown): string => {
      const parsed = SandboxConfigSchema.safeParse({ docker: { ulimits } });
      return parsed.success ? '' : parsed.error.issues.map((i) => i.path.join('.')).join('; ');
    };
    expect(problem({ nofile: 8 })).toBe('docker.ulimits.nofile');
    expect(problem({ nproc: 1.5 })).toBe('docker.ulimits.nproc');
    expect(problem({ core: 0 })).toBe('docker.ulimits');
    expect(
      SandboxConfigSchema.parse({ docker: { ulimits: { nofile: 4096 } } }).docker.ulimits,
    ).toEqual({
      nofile: 4096,
      nproc: 4096,
    });
  });

  it('puts a named runtime on the container, and no runtime at all by default', () => {
    const input = {
      name: 'clawdbot-sbx-x-12345678',
      scopeKey: 'dm:telegram:42',
      installationId: '0123abcd'.repeat(4),
      workspaceDir: '/state/sandboxes/x-12345678',
      workspaceDevice: '/dev/loop7',
      workspace: defaults.workspace,
      user: { uid: 1000, gid: 1000 },
      createdAtMs: 1,
    };
    expect(buildContainerSpec({ ...input, config: defaults.docker }).HostConfig).not.toHaveProperty(
      'Runtime',
    );
    const gvisor = { ...defaults.docker, runtime: 'runsc' };
    expect(buildContainerSpec({ ...input, config: gvisor }).HostConfig?.Runtime).toBe('runsc');
    // Another runtime is another spec: existing sandboxes are recreated under it.
    expect(containerSpecHash({ ...input, config: gvisor })).not.toBe(
      containerSpecHash({ ...input, config: defaults.docker }),
    );
  });

  it('sandboxes every session but main in non-main mode, all in all, none when off', () => {
    expect(isSandboxedSession('main', defaults)).toBe(false);
    expect(isSandboxedSession('dm:telegram:42', defaults)).toBe(true);
    expect(isSandboxedSession('group:whatsapp:123@g.us', defaults)).toBe(true);
    expect(isSandboxedSession('main', { mode: 'all' })).toBe(true);
    expect(isSandboxedSession('dm:telegram:42', { mode: 'off' })).toBe(false);
  });

  it('maps sessions to one container each, or to one shared container', () => {
    expect(sandboxScopeKey('dm:telegram:42', defaults)).toBe('dm:telegram:42');
    expect(sandboxScopeKey('dm:telegram:42', { scope: 'shared' })).toBe('shared');
  });
});

describe('the container spec', () => {
  process.env['CLAWDBOT_TEST_CANARY_KEY'] = 'canary-value-from-the-host';
  const spec = buildContainerSpec({
    name: 'clawdbot-sbx-x-12345678',
    scopeKey: 'dm:telegram:42',
    installationId: '0123abcd'.repeat(4),
    workspaceDir: '/state/sandboxes/x-12345678',
    workspaceDevice: '/dev/loop7',
    config: defaults.docker,
    workspace: defaults.workspace,
    user: { uid: 1000, gid: 1000 },
    createdAtMs: 1,
  });

  it('mounts the workspace, a size-limited filesystem on its loop device, and nothing else', () => {
    const [mount, ...others] = spec.HostConfig?.Mounts ?? [];
    expect(others).toEqual([]);
    expect(mount).toMatchObject({
      Type: 'volume',
      Source: '',
      Target: '/workspace',
      ReadOnly: false,
      VolumeOptions: {
        NoCopy: true,
        DriverConfig: {
          Name: 'local',
          Options: { type: 'ext4', device: '/dev/loop7', o: 'nosuid,nodev,discard' },
        },
      },
    });
    expect(spec.Labels).toMatchObject({
      'clawdbot.workspaceDir': '/state/sandboxes/x-12345678',
      'clawdbot.workspaceDevice': '/dev/loop7',
    });
    expect(spec.HostConfig?.Binds).toBeUndefined();
    expect(spec.HostConfig?.VolumesFrom).toBeUndefined();
    expect(spec.Volumes).toBeUndefined();
    expect(JSON.stringify(spec)).not.toContain('docker.sock');
  });

  it('is hardened: read-only root, no network, no capabilities, non-root, limits', () => {
    expect(spec.HostConfig).toMatchObject({
      ReadonlyRootfs: true,
      NetworkMode: 'none',
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      Privileged: false,
      PidsLimit: 256,
      Memory: 512 * 1024 * 1024,
      MemorySwap: 512 * 1024 * 1024,
      NanoCpus: 1e9,
      Init: true,
      // Explicit on every engine: Podman's defaults exceed some hosts' hard limits.
      Ulimits: [
        { Name: 'nofile', Soft: 1024, Hard: 1024 },
        { Name: 'nproc', Soft: 4096, Hard: 4096 },
      ],
      Tmpfs: {
        '/tmp': 'rw,nosuid,nodev,size=64m',
        '/var/tmp': 'rw,nosuid,nodev,size=64m',
        '/run': 'rw,nosuid,nodev,size=64m',
      },
    });
    expect(spec.HostConfig?.CapAdd).toBeUndefined();
    expect(spec.User).toBe('1000:1000');
    expect(spec.WorkingDir).toBe('/workspace');
    expect(spec.Cmd).toEqual(['sleep', 'infinity']);
    expect(spec.Labels).toMatchObject({
      'clawdbot.sandbox': '1',
      'clawdbot.sessionKey': 'dm:telegram:42',
      'clawdbot.createdAtMs': '1',
    });
  });

  it('carries only the allowlisted environment, nothing from the host', () => {
    expect(spec.Env).toEqual([
      'LANG=C.UTF-8',
      'HOME=/workspace',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
    ]);
    expect(sandboxEnv({ env: { TZ: 'UTC', LANG: 'en_US.UTF-8' } })).toEqual([
      'LANG=en_US.UTF-8',
      'HOME=/workspace',
      'PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      'TZ=UTC',
    ]);
    expect(JSON.stringify(spec)).not.toContain('canary-value-from-the-host');
  });

  it('hashes the config, so a changed config replaces the container', () => {
    const base = {
      scopeKey: 'k',
      workspaceDir: '/w',
      workspace: defaults.workspace,
      user: { uid: 1000, gid: 1000 },
    };
    const a = containerSpecHash({ ...base, config: defaults.docker });
    expect(containerSpecHash({ ...base, config: { ...defaults.docker } })).toBe(a);
    expect(
      containerSpecHash({ ...base, config: { ...defaults.docker, network: 'bridge' } }),
    ).not.toBe(a);
    expect(
      containerSpecHash({ ...base, user: { uid: 1001, gid: 1001 }, config: defaults.docker }),
    ).not.toBe(a);
    // A raised limit replaces the container, so the helper grows the workspace before it mounts.
    expect(
      containerSpecHash({
        ...base,
        workspace: { ...defaults.workspace, maxMiB: 1024 },
        config: defaults.docker,
      }),
    ).not.toBe(a);
  });
});

describe('the sandbox user', () => {
  it('is the host user when Clawdbot is not root, and never root when it is', () => {
    expect(resolveSandboxUser('auto', { uid: 1234, gid: 99 })).toEqual({ uid: 1234, gid: 99 });
    expect(resolveSandboxUser('auto', { uid: 0, gid: 0 })).toEqual({ uid: 1000, gid: 1000 });
    expect(resolveSandboxUser('2000', { uid: 0, gid: 0 })).toEqual({ uid: 2000, gid: 2000 });
    expect(resolveSandboxUser('2000:3000', { uid: 0, gid: 0 })).toEqual({ uid: 2000, gid: 3000 });
  });
});

describe('pruning', () => {
  const h = 3_600_000;
  const config = { idleHours: 24, maxAgeDays: 7 };
  it('removes containers idle for idleHours or older than maxAgeDays', () => {
    const now = 100 * 24 * h;
    expect(
      pruneVerdict({ createdAtMs: now - h, lastUsedAtMs: now - h, busy: false }, now, config),
    ).toBe(null);
    expect(
      pruneVerdict(
        { createdAtMs: now - 25 * h, lastUsedAtMs: now - 25 * h, busy: false },
        now,
        config,
      ),
    ).toBe('idle');
    expect(
      pruneVerdict(
        { createdAtMs: now - 25 * h, lastUsedAtMs: now - 25 * h, busy: true },
        now,
        config,
      ),
    ).toBe(null);
    expect(
      pruneVerdict({ createdAtMs: now - 8 * 24 * h, lastUsedAtMs: now, busy: true }, now, config),
    ).toBe('too-old');
  });
});

describe('the edit rule', () => {
  it('replaces exactly one occurrence, literally', () => {
    expect(replaceExactlyOnce('a b c', 'b', '$& $1 $$', 'f')).toBe('a $& $1 $$ c');
  });
  it('fails clearly when oldText is missing, empty or ambiguous', () => {
    expect(() => replaceExactlyOnce('abc', 'x', 'y', 'f')).toThrow(/not found in f/);
    expect(() => replaceExactlyOnce('abc', '', 'y', 'f')).toThrow(SandboxFileError);
    expect(() => replaceExactlyOnce('aaa', 'aa', 'y', 'f')).toThrow(/occurs 2 times in f/);
    try {
      replaceExactlyOnce('x x', 'x', 'y', 'f');
    } catch (error) {
      expect((error as SandboxFileError).reason).toBe('ambiguous');
    }
  });
});
