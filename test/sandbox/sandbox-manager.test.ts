import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SandboxFileError,
  SandboxUnavailableError,
} from '../../src-main/sandbox/sandbox-errors.js';
import { findFreezerCgroup, freezeCgroup } from '../../src-main/docker/cgroup-freezer.js';
import type { PrunedSandbox, SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import { actionsOf, recordContainerEvents } from '../helpers/busy-sandbox.js';
import {
  containerExists,
  dockerAvailable,
  ensureTestImage,
  TEST_IMAGE,
} from '../helpers/docker.js';
import { runningAsRoot } from '../helpers/other-user.js';
import { sandboxImageMissing } from '../helpers/sandbox-image.js';
import { waitFor } from '../helpers/wait.js';
import { useSandboxRun } from './sandbox-test-kit.js';

const hasDocker = await dockerAvailable();

describe.skipIf(!hasDocker || sandboxImageMissing())(
  'the sandbox manager',
  { tags: ['docker', 'sandbox-image'] },
  () => {
    const sandboxes = useSandboxRun('mgr');
    const { docker, run } = sandboxes;
    const stateDir = join(sandboxes.dir, 'state');
    const key = (name: string): string => `dm:telegram:${run}-${name}`;
    let manager: SandboxManager;
    const foreign: string[] = [];

    beforeAll(() => {
      manager = sandboxes.manager();
    });

    afterAll(async () => {
      await Promise.all(
        foreign.map((id) =>
          docker
            .getContainer(id)
            .remove({ force: true })
            .catch(() => undefined),
        ),
      );
    });

    it('creates a labelled container on first use and reuses it while warm', async () => {
      const before = Date.now();
      const cold = await manager.ensure(key('life'));
      expect(cold.created).toBe(true);
      expect(cold.name).toBe(manager.containerNameFor(key('life')));
      const warm = await manager.ensure(key('life'));
      expect(warm).toMatchObject({ id: cold.id, created: false });

      const info = await docker.getContainer(cold.id).inspect();
      expect(info.State.Running).toBe(true);
      expect(info.Config.Labels).toMatchObject({
        'clawdbot.sandbox': '1',
        'clawdbot.sessionKey': key('life'),
        'clawdbot.workspaceDir': cold.workspaceDir,
      });
      const createdAt = Number(info.Config.Labels['clawdbot.createdAtMs']);
      expect(createdAt).toBeGreaterThanOrEqual(before);
      expect(createdAt).toBeLessThanOrEqual(Date.now());

      // The workspace directory: private to the host user; it holds the workspace's filesystem
      // image, whose root belongs to the sandbox user.
      expect(cold.workspaceDir.startsWith(join(stateDir, 'sandboxes'))).toBe(true);
      const ws = statSync(cold.workspaceDir);
      expect(ws.mode & 0o777).toBe(0o700);
      expect(ws.uid).toBe(process.getuid!());
      expect(statSync(join(stateDir, 'sandboxes')).mode & 0o777).toBe(0o700);
      const root = await manager.exec(key('life'), 'stat -c %u /workspace');
      expect(root.stdout).toBe(`${process.getuid!() === 0 ? 1000 : process.getuid!()}\n`);
    });

    it('creates one container for concurrent first calls', async () => {
      const handles = await Promise.all([1, 2, 3, 4].map(() => manager.ensure(key('race'))));
      expect(new Set(handles.map((h) => h.id)).size).toBe(1);
      expect(handles.filter((h) => h.created)).toHaveLength(1);
    });

    it('brings back a container that was stopped or removed behind its back', async () => {
      const first = await manager.ensure(key('back'));
      await manager.writeFile(key('back'), 'kept.txt', 'kept');
      await docker.getContainer(first.id).stop({ t: 0 });
      const restarted = await manager.exec(key('back'), 'cat kept.txt');
      expect(restarted.stdout).toBe('kept');
      expect((await manager.ensure(key('back'))).id).toBe(first.id);

      expect(await manager.stop(first.name)).toBe(true);
      expect(await manager.stop(first.name)).toBe(false);
      const recreated = await manager.exec(key('back'), 'cat kept.txt');
      expect(recreated.stdout).toBe('kept');
      expect((await manager.ensure(key('back'))).id).not.toBe(first.id);
    });

    it('never resumes a frozen sandbox: a paused one is replaced, its workspace kept', async () => {
      const first = await manager.ensure(key('frozen'));
      await manager.writeFile(key('frozen'), 'kept.txt', 'kept');
      // Frozen as the kill switch and `sandbox stop` freeze a sandbox on its way to removal.
      await docker.getContainer(first.id).pause();
      const recorder = await recordContainerEvents(docker);
      try {
        // Another manager (another gateway start): nothing warm, so it inspects what is there.
        const later = sandboxes.manager();
        const result = await later.exec(key('frozen'), 'cat kept.txt');
        expect(result.stdout).toBe('kept');
        const second = await later.ensure(key('frozen'));
        expect(second.id).not.toBe(first.id);
        expect(await containerExists(docker, first.id)).toBe(false);
        expect(actionsOf(recorder.events, first.id)).not.toContain('unpause');
      } finally {
        recorder.stop();
      }
    });

    it.skipIf(!runningAsRoot)(
      'never uses a sandbox frozen in the kernel by a kill switch that stopped before removing it: it is replaced, its workspace kept',
      async () => {
        const first = await manager.ensure(key('cgroup-frozen'));
        await manager.writeFile(key('cgroup-frozen'), 'kept.txt', 'kept');
        const cgroup = findFreezerCgroup(first.id);
        expect(cgroup).not.toBeNull();
        expect(await freezeCgroup(cgroup!)).toBe('frozen');
        // The engine was not told: it still calls the container running.
        expect((await docker.getContainer(first.id).inspect()).State.Running).toBe(true);
        const later = sandboxes.manager();
        // An exec in the frozen container would never return; this one runs in its replacement.
        const result = await later.exec(key('cgroup-frozen'), 'cat kept.txt');
        expect(result.stdout).toBe('kept');
        expect((await later.ensure(key('cgroup-frozen'))).id).not.toBe(first.id);
        expect(await containerExists(docker, first.id)).toBe(false);
      },
    );

    it('replaces a container created from another config', async () => {
      const first = await manager.ensure(key('config'));
      const tighter = sandboxes.manager({ config: { docker: { pidsLimit: 64 } } });
      const second = await tighter.ensure(key('config'));
      expect(second.created).toBe(true);
      expect(second.id).not.toBe(first.id);
      const info = await docker.getContainer(second.id).inspect();
      expect(info.HostConfig.PidsLimit).toBe(64);
    });

    it('runs setupCommand once per container, and removes a container whose setup fails', async () => {
      const withSetup = sandboxes.manager({
        config: { docker: { setupCommand: 'echo ran >> /workspace/setup-runs' } },
      });
      const handle = await withSetup.ensure(key('setup'));
      await withSetup.exec(key('setup'), 'true');
      await withSetup.exec(key('setup'), 'true');
      expect((await withSetup.readWorkspaceFile(handle.scopeKey, 'setup-runs')).toString()).toBe(
        'ran\n',
      );

      const failing = sandboxes.manager({
        config: { docker: { setupCommand: 'echo broken >&2; exit 3' } },
      });
      const error = await failing.exec(key('bad-setup'), 'true').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SandboxUnavailableError);
      expect((error as Error).message).toMatch(/setupCommand failed .*exit 3.*broken/);
      const left = await docker.listContainers({
        all: true,
        filters: { name: [manager.containerNameFor(key('bad-setup'))] },
      });
      expect(left).toHaveLength(0);
    });

    it('refuses when the image is missing, with the command that builds it', async () => {
      const noImage = sandboxes.manager({
        config: { docker: { image: `clawdbot-sandbox:missing-${run}` } },
      });
      const error = await noImage.exec(key('noimage'), 'true').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SandboxUnavailableError);
      expect((error as SandboxUnavailableError).reason).toBe('image-missing');
      expect((error as Error).message).toMatch(
        /^sandbox image clawdbot-sandbox:missing-\S+ is missing: run clawdbot sandbox image build --offline/,
      );
    });

    it('refuses a container that has its name but is not its sandbox, and leaves it alone', async () => {
      await ensureTestImage(docker);
      const name = manager.containerNameFor(key('squatted'));
      const squatter = await docker.createContainer({
        name,
        Image: TEST_IMAGE,
        Cmd: ['/bin/sleep', '1000'],
        HostConfig: { NetworkMode: 'none' },
      });
      foreign.push(squatter.id);
      const error = await manager.exec(key('squatted'), 'true').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SandboxUnavailableError);
      expect((error as Error).message).toMatch(/is not this session's sandbox/);
      await expect(manager.stop(name)).rejects.toThrow(/not a Clawdbot sandbox/);
      expect((await squatter.inspect()).Id).toBe(squatter.id);
    });

    it('separates stdout, stderr and the exit code', async () => {
      const result = await manager.exec(key('exec'), 'echo out; echo err >&2; exit 7');
      expect(result).toMatchObject({
        stdout: 'out\n',
        stderr: 'err\n',
        exitCode: 7,
        timedOut: false,
      });
    });

    it('runs bash without a login shell, with exactly the configured environment', async () => {
      const custom = sandboxes.manager({
        config: { docker: { env: { PATH: '/opt/tools/bin:/usr/bin:/bin', TOOL_MODE: 'ci' } } },
      });
      const result = await custom.exec(
        key('env'),
        'echo "$PATH|$TOOL_MODE|$HOME"; shopt -q login_shell; echo $?',
      );
      // A login shell would have read /etc/profile, which resets PATH for non-root users.
      expect(result.stdout).toBe('/opt/tools/bin:/usr/bin:/bin|ci|/workspace\n1\n');
    });

    it('kills a command at its timeout, and everything it started', async () => {
      const started = Date.now();
      const result = await manager.exec(key('exec'), 'sleep 1000 & sleep 1000', { timeoutSec: 2 });
      expect(result.timedOut).toBe(true);
      expect(result.exitCode).toBe(137);
      expect(Date.now() - started).toBeLessThan(2000 + 5000);
      const sleeps = await manager.exec(key('exec'), 'cat /proc/[0-9]*/cmdline | tr "\\0" " "');
      expect(sleeps.stdout).not.toContain('sleep 1000');
    });

    it('lets nothing a command starts outlive it, however it hides', async () => {
      // Every process's command line, so the test sees exactly which ones survived.
      const survivors = async (): Promise<string> =>
        (
          await manager.exec(
            key('leftovers'),
            'for f in /proc/[0-9]*/cmdline; do tr "\\0" " " < "$f"; echo; done',
          )
        ).stdout;
      expect(await survivors()).toContain('sleep infinity');
      for (const hide of [
        'sleep 1001 &',
        'nohup sleep 1002 >/dev/null 2>&1 &',
        'setsid sleep 1003 &',
        'set -m; sleep 1004 &',
        '(setsid bash -c "sleep 1005 &" &)',
      ]) {
        const r = await manager.exec(key('leftovers'), `${hide}\necho started`);
        expect(r.stdout, hide).toBe('started\n');
        expect(await survivors(), hide).not.toMatch(/sleep 100\d/);
      }
      // Even a command that kills the cleanup wrapper first: the manager restarts the container.
      await manager.exec(
        key('leftovers'),
        'setsid sleep 1006 & kill -9 $(grep -l "^perl$" /proc/[0-9]*/comm | cut -d/ -f3)',
      );
      const after = await survivors();
      expect(after).not.toMatch(/sleep 100\d/);
      expect(after).toContain('sleep infinity');
    });

    it('stops waiting when the caller aborts', async () => {
      const abort = new AbortController();
      const call = manager.exec(key('exec'), 'sleep 30', { signal: abort.signal });
      // The caller gives up while the command runs, as a stopped turn does.
      const container = docker.getContainer(manager.containerNameFor(key('exec')));
      await waitFor('the command running in its sandbox', async () =>
        JSON.stringify(await container.top().catch(() => null)).includes('sleep 30'),
      );
      abort.abort();
      // Had it waited for the command, it would have its exit code (0) and not be timed out.
      expect(await call).toMatchObject({ timedOut: true, exitCode: null });
    });

    it('truncates long output, keeping head and tail', async () => {
      const result = await manager.exec(key('exec'), 'seq 1 100000', { maxOutputBytes: 1000 });
      expect(result.truncated).toBe(true);
      expect(result.stdout.startsWith('1\n2\n3\n')).toBe(true);
      expect(result.stdout.endsWith('99999\n100000\n')).toBe(true);
      expect(result.stdout).toMatch(/\n\[\.\.\. \d+ bytes truncated \.\.\.\]\n/);
    });

    it('reads, writes and edits files inside the container', async () => {
      const k = key('files');
      await manager.writeFile(k, 'notes/todo.md', '# todo\n- one\n- two $& \n');
      expect((await manager.readFile(k, '/workspace/notes/todo.md')).text).toBe(
        '# todo\n- one\n- two $& \n',
      );
      await manager.editFile(k, 'notes/todo.md', '- one\n', '- one done\n');
      expect((await manager.readFile(k, 'notes/todo.md')).text).toBe(
        '# todo\n- one done\n- two $& \n',
      );
      await expect(manager.editFile(k, 'notes/todo.md', '- ', 'x')).rejects.toThrow(
        /occurs 2 times/,
      );
      await expect(manager.editFile(k, 'notes/todo.md', 'absent', 'x')).rejects.toThrow(
        /not found/,
      );
      await expect(manager.readFile(k, 'missing.txt')).rejects.toThrow(SandboxFileError);
      await expect(manager.writeFile(k, '/usr/local/bin/tool', 'x')).rejects.toThrow(
        /Read-only file system/,
      );
      const big = await manager.readFile(k, 'notes/todo.md', { maxBytes: 6 });
      expect(big).toEqual({ text: '# todo', truncated: true });
      // Binary-safe writes: every byte value survives the trip through stdin.
      const bytes = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
      await manager.writeFile(k, 'bytes.bin', bytes);
      expect((await manager.readWorkspaceFile(k, 'bytes.bin')).equals(bytes)).toBe(true);
    });

    it('lists its containers with session, image, runtime, age, last use, CPU and memory', async () => {
      await manager.exec(key('life'), 'true');
      const listed = await manager.list();
      const mine = listed.find((s) => s.sessionKey === key('life'));
      expect(mine).toBeDefined();
      expect(mine).toMatchObject({
        name: manager.containerNameFor(key('life')),
        image: 'clawdbot-sandbox:bookworm',
        state: 'running',
        // No runtime configured: the engine's default, as the engine reports it.
        runtime: 'runc',
      });
      expect(mine!.ageMs).toBeGreaterThan(0);
      expect(mine!.lastUsedAtMs).toBeGreaterThan(mine!.createdAtMs);
      expect(mine!.usage).not.toBeNull();
      expect(mine!.usage!.memoryLimitBytes).toBe(512 * 1024 * 1024);
      expect(mine!.usage!.memoryBytes).toBeGreaterThan(0);
      expect(mine!.usage!.cpuPercent).toBeGreaterThanOrEqual(0);
      // The brief listing (the dashboard's) leaves out what costs a call per container.
      const brief = (await manager.list({ usage: false, runtime: false })).find(
        (s) => s.sessionKey === key('life'),
      );
      expect(brief).toMatchObject({
        name: mine!.name,
        state: 'running',
        usage: null,
        runtime: null,
      });
    });

    it('prunes idle and old containers of its own state directory, at most every five minutes', async () => {
      let now = Date.now();
      const clocked = sandboxes.manager({ now: () => now });
      await clocked.exec(key('prune'), 'true');
      const other = sandboxes.manager({ stateDir: join(sandboxes.dir, 'other-state') });
      await other.exec(key('prune-other'), 'true');

      const hour = 3_600_000;
      const start = now;
      // Only this test's container is judged here: the file's earlier ones were last used at
      // times that depend on how long the tests before took.
      const judged = (list: PrunedSandbox[]): PrunedSandbox[] =>
        list.filter((p) => p.sessionKey === key('prune'));
      expect(await clocked.prune()).toEqual([]);
      now = start + 24 * hour - 60_000;
      expect(judged(await clocked.prune())).toEqual([]);
      // Idle for a day now, but the last check was two minutes ago: nothing happens yet.
      now = start + 24 * hour + 60_000;
      expect(judged(await clocked.pruneIfDue())).toEqual([]);
      now = start + 24 * hour + 5 * 60_000;
      const pruned = await clocked.pruneIfDue();
      const names = pruned.map((p) => p.name);
      expect(names).toContain(manager.containerNameFor(key('prune')));
      // Every container of this state directory idle for a day went, with the reason.
      expect(pruned.find((p) => p.sessionKey === key('prune'))?.why).toBe('idle');
      // Another state directory's container is another Clawdbot's business.
      expect(names).not.toContain(other.containerNameFor(key('prune-other')));
      expect(existsSync(join(stateDir, 'sandboxes'))).toBe(true);
      const left = await docker.listContainers({
        all: true,
        filters: { name: [other.containerNameFor(key('prune-other'))] },
      });
      expect(left).toHaveLength(1);
    });
  },
);
