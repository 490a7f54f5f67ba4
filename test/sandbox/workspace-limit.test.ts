import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SandboxConfigInput } from '../../src-shared/config/sandbox-schema.js';
import {
  SandboxFileError,
  SandboxUnavailableError,
} from '../../src-main/sandbox/sandbox-errors.js';
import type { SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import type { WorkspaceFullEvent } from '../../src-main/sandbox/workspace-full.js';
import { WorkspaceImages } from '../../src-main/sandbox/workspace-image.js';
import { workspaceDirFor } from '../../src-main/sandbox/workspace.js';
import { dockerAvailable } from '../helpers/docker.js';
import { sandboxImageMissing } from '../helpers/sandbox-image.js';
import { refusingDockerProxy, useSandboxRun } from './sandbox-test-kit.js';
import { sandboxesDir, WORKSPACE_IMAGE_FILE } from '../../src-main/state-layout.js';

const hasDocker = await dockerAvailable();

const MiB = 1024 * 1024;
/** What may reach the host disk beyond the limit: the directories and last-use stamps. */
const SLACK_BYTES = 1 * MiB;

/** Real blocks on the host disk under a directory (`du`, not apparent sizes). */
function hostBytes(dir: string): number {
  return Number(execFileSync('du', ['-s', '-B1', dir], { encoding: 'utf8' }).split('\t')[0]);
}

/** What a loop device's sysfs says it holds; empty once it is detached. */
function backingOf(sysfsFile: string): string {
  try {
    return readFileSync(sysfsFile, 'utf8');
  } catch {
    return '';
  }
}

/** The loop device whose backing file is `file` (by the kernel's device and inode numbers). */
function loopDeviceOf(file: string): string {
  return execFileSync('losetup', ['--list', '-n', '-O', 'NAME', '-j', file], {
    encoding: 'utf8',
  }).trim();
}

/**
 * The size limit of sandbox workspaces, against everything a sandbox can do to fill the host
 * disk, on the real engine: the workspace is a filesystem of exactly the limit, so the kernel
 * says no, and what reaches the host disk is measured with `du`.
 */
describe.skipIf(!hasDocker || sandboxImageMissing())(
  'the workspace size limit',
  { tags: ['docker', 'sandbox-image'] },
  () => {
    const sandboxes = useSandboxRun('wslimit');
    const { docker, run, dir: scratch } = sandboxes;
    const key = (name: string): string => `dm:telegram:${run}-${name}`;
    const fullEvents: WorkspaceFullEvent[] = [];
    const managers = new Map<string, SandboxManager>();

    /** A manager on a state directory of its own, so `du` of its sandboxes/ is one workspace. */
    const managerFor = (name: string, config: SandboxConfigInput = {}): SandboxManager => {
      const manager = sandboxes.manager({
        stateDir: join(scratch, name),
        config,
        onWorkspaceFull: (event) => fullEvents.push(event),
      });
      managers.set(name, manager);
      return manager;
    };
    const sandboxesOf = (name: string): string => sandboxesDir(join(scratch, name));

    it('one big file: `head -c 1100M` stops at the default 512 MiB, on the host disk too', async () => {
      const manager = managerFor('big');
      const result = await manager.exec(key('big'), 'head -c 1100M /dev/zero > /workspace/f', {
        timeoutSec: 600,
      });
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/No space left on device/);
      expect(result.workspaceFull).toBe(true);
      const written = await manager.exec(key('big'), 'stat -c %s /workspace/f');
      expect(Number(written.stdout)).toBeGreaterThan(400 * MiB);
      expect(Number(written.stdout)).toBeLessThanOrEqual(512 * MiB);
      expect(hostBytes(sandboxesOf('big'))).toBeLessThanOrEqual(512 * MiB + SLACK_BYTES);
    });

    it('many small files: the inodes run out inside the limit', async () => {
      const manager = managerFor('small', { workspace: { maxMiB: 32 } });
      const result = await manager.exec(
        key('small'),
        [
          'mkdir -p d && python3 - <<"EOF"',
          'n = 0',
          'while True:',
          '    with open(f"d/{n}", "w") as f: f.write("x" * 100)',
          '    n += 1',
          'EOF',
        ].join('\n'),
        { timeoutSec: 300 },
      );
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/No space left on device/);
      expect(result.workspaceFull).toBe(true);
      const count = await manager.exec(key('small'), 'ls d | wc -l');
      expect(Number(count.stdout)).toBeGreaterThan(1000);
      expect(hostBytes(sandboxesOf('small'))).toBeLessThanOrEqual(32 * MiB + SLACK_BYTES);
      // The write tool says so too.
      const error = await manager
        .writeFile(key('small'), 'one-more.txt', 'x')
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SandboxFileError);
      expect((error as SandboxFileError).reason).toBe('workspace-full');
      expect((error as Error).message).toMatch(
        /workspace full: \/workspace has reached its size limit of 32 MiB/,
      );
    });

    it('fallocate: the blocks are refused, not just the bytes', async () => {
      const manager = managerFor('falloc', { workspace: { maxMiB: 64 } });
      const result = await manager.exec(key('falloc'), 'fallocate -l 1100M /workspace/g', {
        timeoutSec: 120,
      });
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/No space left on device/);
      expect(result.workspaceFull).toBe(true);
      expect(hostBytes(sandboxesOf('falloc'))).toBeLessThanOrEqual(64 * MiB + SLACK_BYTES);
    });

    it('parallel writers, in one command and in concurrent calls, share the one limit', async () => {
      const manager = managerFor('parallel', { workspace: { maxMiB: 64 } });
      await manager.ensure(key('parallel'));
      const writers = await Promise.all([
        manager.exec(
          key('parallel'),
          'for i in 1 2 3 4; do head -c 300M /dev/zero > /workspace/bg$i & done; wait; ' +
            'head -c 1M /dev/zero > /workspace/after',
          { timeoutSec: 300 },
        ),
        ...[1, 2, 3].map((i) =>
          manager.exec(key('parallel'), `dd if=/dev/zero of=/workspace/dd${i} bs=1M count=300`, {
            timeoutSec: 300,
          }),
        ),
      ]);
      for (const result of writers) {
        expect(result.exitCode).not.toBe(0);
        expect(result.stderr).toMatch(/No space left on device/);
      }
      expect(hostBytes(sandboxesOf('parallel'))).toBeLessThanOrEqual(64 * MiB + SLACK_BYTES);
    });

    it('tells once per fill, and a session that deletes files can write again', async () => {
      const manager = managerFor('episode', { workspace: { maxMiB: 32 } });
      const mine = (): WorkspaceFullEvent[] =>
        fullEvents.filter((e) => e.scopeKey === key('episode'));
      const fill = (): Promise<unknown> =>
        manager.exec(key('episode'), 'head -c 100M /dev/zero > /workspace/fill', {
          timeoutSec: 120,
        });
      await fill();
      await fill();
      await manager.writeFile(key('episode'), 'note.txt', 'x'.repeat(MiB)).catch(() => undefined);
      await manager.exec(key('episode'), 'echo more >> /workspace/fill');
      expect(mine()).toHaveLength(1);
      expect(mine()[0]).toMatchObject({
        container: manager.containerNameFor(key('episode')),
        maxMiB: 32,
      });
      // Cleaning up makes room: the tools work again, and the blocks go back to the host.
      const before = hostBytes(sandboxesOf('episode'));
      const cleaned = await manager.exec(
        key('episode'),
        // `sync` commits the journal, which is when ext4 discards freed blocks.
        'rm /workspace/fill && sync -f /workspace && echo ok > /workspace/ok',
      );
      expect(cleaned).toMatchObject({ exitCode: 0, workspaceFull: false });
      await manager.writeFile(key('episode'), 'note.txt', 'written after the cleanup');
      expect((await manager.readWorkspaceFile(key('episode'), 'note.txt')).toString()).toBe(
        'written after the cleanup',
      );
      expect(hostBytes(sandboxesOf('episode'))).toBeLessThan(before - 16 * MiB);
      // A new fill is a new episode: told again, once.
      await fill();
      expect(mine()).toHaveLength(2);
    });

    it('ENOSPC from the tmpfs /tmp is not taken for a full workspace', async () => {
      const manager = managerFor('tmp', { workspace: { maxMiB: 32 } });
      const result = await manager.exec(key('tmp'), 'head -c 100M /dev/zero > /tmp/x');
      expect(result.stderr).toMatch(/No space left on device/);
      expect(result.workspaceFull).toBe(false);
      expect(fullEvents.filter((e) => e.scopeKey === key('tmp'))).toEqual([]);
    });

    it('never mounts a loop device that now holds another workspace (as after a reboot)', async () => {
      const manager = managerFor('reboot', { workspace: { maxMiB: 32 } });
      const [a, b] = [key('reboot-a'), key('reboot-b')];
      await manager.writeFile(a, 'whose.txt', 'A');
      await manager.writeFile(b, 'whose.txt', 'B');
      const stateDir = join(scratch, 'reboot');
      const imageA = join(workspaceDirFor(stateDir, a), WORKSPACE_IMAGE_FILE);
      const imageB = join(workspaceDirFor(stateDir, b), WORKSPACE_IMAGE_FILE);
      const deviceA = loopDeviceOf(imageA);
      const deviceB = loopDeviceOf(imageB);
      expect(deviceA).toMatch(/^\/dev\/loop\d+$/);
      // "Reboot": both sandboxes stop, every loop device is gone, and B's image comes back on
      // the number A's container was created with.
      await docker.getContainer(manager.containerNameFor(a)).stop({ t: 0 });
      await docker.getContainer(manager.containerNameFor(b)).stop({ t: 0 });
      execFileSync('losetup', ['-d', deviceA]);
      execFileSync('losetup', ['-d', deviceB]);
      execFileSync('losetup', [deviceA, imageB]);
      const fresh = managerFor('reboot', { workspace: { maxMiB: 32 } });
      expect((await fresh.readWorkspaceFile(a, 'whose.txt')).toString()).toBe('A');
      expect((await fresh.readWorkspaceFile(b, 'whose.txt')).toString()).toBe('B');
      expect(loopDeviceOf(imageB)).toBe(deviceA);
      expect(loopDeviceOf(imageA)).not.toBe(deviceA);
    });

    it('a deleted workspace does not keep its blocks: its loop device is detached', async () => {
      const manager = managerFor('deleted', { workspace: { maxMiB: 32 } });
      const gone = key('deleted-gone');
      await manager.exec(gone, 'head -c 8M /dev/urandom > /workspace/data');
      const dir = workspaceDirFor(join(scratch, 'deleted'), gone);
      const device = loopDeviceOf(join(dir, WORKSPACE_IMAGE_FILE));
      const backing = `/sys/block/${device.replace('/dev/', '')}/loop/backing_file`;
      await manager.stop(manager.containerNameFor(gone));
      rmSync(dir, { recursive: true });
      expect(readFileSync(backing, 'utf8')).toMatch(/clawdbot-workspace\.ext4 \(deleted\)/);
      // The next workspace the helper prepares sweeps it.
      await manager.exec(key('deleted-next'), 'true');
      expect(backingOf(backing)).not.toMatch(/clawdbot-workspace\.ext4 \(deleted\)/);
      // And so does a sweep on its own (run at the end of the test run).
      const next = workspaceDirFor(join(scratch, 'deleted'), key('deleted-next'));
      const nextBacking = `/sys/block/${loopDeviceOf(join(next, WORKSPACE_IMAGE_FILE)).replace('/dev/', '')}/loop/backing_file`;
      await manager.stop(manager.containerNameFor(key('deleted-next')));
      rmSync(next, { recursive: true });
      await new WorkspaceImages(docker).sweep();
      expect(backingOf(nextBacking)).not.toMatch(/clawdbot-workspace\.ext4 \(deleted\)/);
    });

    it('a raised limit grows the workspace on its next start; a lowered one leaves it', async () => {
      const size = async (manager: SandboxManager): Promise<number> =>
        Number(
          (
            await manager.exec(
              key('grow'),
              'set -- $(stat -f -c "%b %S" /workspace); echo $(($1 * $2))',
            )
          ).stdout,
        );
      const small = managerFor('grow', { workspace: { maxMiB: 32 } });
      await small.writeFile(key('grow'), 'kept.txt', 'kept');
      const before = await size(small);
      const bigger = managerFor('grow', { workspace: { maxMiB: 96 } });
      const after = await size(bigger);
      // statfs leaves out the filesystem's own metadata: a little less than the limit each time.
      expect(before).toBeLessThanOrEqual(32 * MiB);
      expect(after).toBeGreaterThan(80 * MiB);
      expect((await bigger.readWorkspaceFile(key('grow'), 'kept.txt')).toString()).toBe('kept');
      expect(hostBytes(sandboxesOf('grow'))).toBeLessThanOrEqual(96 * MiB + SLACK_BYTES);
      const lowered = managerFor('grow', { workspace: { maxMiB: 32 } });
      expect(await size(lowered)).toBe(after);
    });

    it('the kill switch and prune take containers and their volumes; the workspace stays', async () => {
      let now = Date.now();
      const manager = sandboxes.manager({
        stateDir: join(scratch, 'kept'),
        config: { workspace: { maxMiB: 32 } },
        now: () => now,
      });
      const dir = workspaceDirFor(join(scratch, 'kept'), key('kept'));
      const volumesLeft = async (): Promise<unknown[]> =>
        (await docker.listVolumes({ filters: { label: [`clawdbot.workspaceDir=${dir}`] } }))
          .Volumes ?? [];
      await manager.writeFile(key('kept'), 'kept.txt', 'still here');
      expect(await volumesLeft()).toHaveLength(1);
      // What the kill switch does to every sandbox (sandbox-reaper.ts), done to this one only.
      const { id } = await manager.ensure(key('kept'));
      await docker.getContainer(id).remove({ force: true, v: true });
      expect(await volumesLeft()).toEqual([]);
      expect(existsSync(join(dir, WORKSPACE_IMAGE_FILE))).toBe(true);
      expect((await manager.readWorkspaceFile(key('kept'), 'kept.txt')).toString()).toBe(
        'still here',
      );
      now += 8 * 24 * 3_600_000;
      const pruned = await manager.prune();
      expect(pruned.map((p) => p.sessionKey)).toContain(key('kept'));
      expect(await volumesLeft()).toEqual([]);
      expect((await manager.readWorkspaceFile(key('kept'), 'kept.txt')).toString()).toBe(
        'still here',
      );
    });

    it('fails closed, naming the fix, on an engine that cannot attach loop devices', async () => {
      // What a rootless engine answers when asked for the host's loop-control device.
      const proxy = await refusingDockerProxy(scratch, (method, path, body) =>
        method === 'POST' &&
        path.includes('/containers/create') &&
        body.includes('clawdbot.workspaceHelper')
          ? 'error gathering device information while adding custom device "/dev/loop-control": no such file or directory'
          : null,
      );
      try {
        const rootless = sandboxes.manager({
          stateDir: join(scratch, 'rootless'),
          docker: proxy.docker,
        });
        const error = await rootless.exec(key('rootless'), 'true').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(SandboxUnavailableError);
        expect((error as SandboxUnavailableError).reason).toBe('workspace-unavailable');
        expect((error as Error).message).toMatch(/loop-control/);
        expect((error as Error).message).toMatch(/rootful Docker engine on Linux/);
        expect((error as Error).message).toMatch(/nothing runs on the host/);
        // No sandbox was started without its limit.
        const left = await docker.listContainers({
          all: true,
          filters: { name: [rootless.containerNameFor(key('rootless'))] },
        });
        expect(left).toEqual([]);
      } finally {
        proxy.stop();
      }
    });
  },
);
