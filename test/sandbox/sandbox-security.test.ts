import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SandboxFileError,
  SandboxUnavailableError,
  WorkspacePathError,
} from '../../src-main/sandbox/sandbox-errors.js';
import type { SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import { dockerAvailable } from '../helpers/docker.js';
import { SANDBOX_IMAGE_BUILD_TIMEOUT_MS, sandboxImageMissing } from '../helpers/sandbox-image.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';
import {
  dockerBridgeGateway,
  scratchDir,
  stoppableDockerProxy,
  useSandboxRun,
} from './sandbox-test-kit.js';

const hasDocker = await dockerAvailable();

/**
 * The attacks of issue 5's security list, played straight at the sandbox layer: each test runs
 * what a fully manipulated model would run in a friend's sandboxed session, then checks what
 * the sandbox got and what the host was left with. Each has a control showing the check
 * would catch a leak, so none passes by measuring nothing.
 */
describe.skipIf(!hasDocker || sandboxImageMissing())(
  'a sandboxed session under attack',
  { tags: ['docker', 'sandbox-image'] },
  () => {
    // No client timeout: a command may legitimately be silent for longer than any fixed deadline.
    const sandboxes = useSandboxRun('sec');
    const { docker, run } = sandboxes;
    const victim = `group:telegram:${run}`;
    const bystander = `dm:telegram:${run}`;
    const canaries: Record<string, string> = {
      ANTHROPIC_API_KEY: `sk-ant-canary-${randomBytes(8).toString('hex')}`,
      OPENAI_API_KEY: `sk-canary-${randomBytes(8).toString('hex')}`,
      TELEGRAM_BOT_TOKEN: `123456:canary-${randomBytes(8).toString('hex')}`,
    };
    const savedEnv: Record<string, string | undefined> = {};
    const secretValue = `host-secret-${randomBytes(12).toString('hex')}`;
    const secretFile = join(tmpdir(), `clawdbot-host-secret-${randomBytes(6).toString('hex')}`);
    const markerName = `clawdbot-test-marker-${randomBytes(6).toString('hex')}`;
    const hostMarkers = [join(homedir(), markerName), join(sandboxes.dir, markerName)];
    let manager: SandboxManager;
    let victimWorkspace: string;

    beforeAll(async () => {
      // Secrets in the gateway's own environment, as in production, before any sandbox exists.
      for (const [key, value] of Object.entries(canaries)) {
        savedEnv[key] = process.env[key];
        process.env[key] = value;
      }
      writeFileSync(secretFile, secretValue, { mode: 0o644 });
      for (const marker of hostMarkers) writeFileSync(marker, 'host marker');
      manager = sandboxes.manager();
      victimWorkspace = (await manager.ensure(victim)).workspaceDir;
      await manager.ensure(bystander);
    }, SANDBOX_IMAGE_BUILD_TIMEOUT_MS);

    afterAll(() => {
      for (const [key, value] of Object.entries(savedEnv)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
      rmSync(secretFile, { force: true });
      for (const marker of hostMarkers) rmSync(marker, { force: true });
    });

    it('`find ~` lists only the container: host files are not there, workspace files are', async () => {
      await manager.writeFile(victim, `${markerName}-workspace`, 'put there by the tools');
      const home = await manager.exec(victim, 'echo "$HOME"; find ~ | head -50');
      const [homeDir, ...listed] = home.stdout.trim().split('\n');
      expect(homeDir).toBe('/workspace');
      expect(listed.length).toBeGreaterThan(0);
      for (const path of listed) expect(path.startsWith('/workspace')).toBe(true);

      const everywhere = await manager.exec(
        victim,
        `find / \\( -path /proc -o -path /sys \\) -prune -o -name '${markerName}*' -print 2>/dev/null`,
      );
      // Control: the same search does find a marker that really is visible to the sandbox.
      expect(everywhere.stdout.trim().split('\n')).toEqual([`/workspace/${markerName}-workspace`]);
      for (const marker of hostMarkers) expect(existsSync(marker)).toBe(true);
      expect(everywhere.stdout).not.toContain(homedir() === '/' ? '//' : `${homedir()}/`);
    });

    it('cannot read a host secret file, by path or by searching the whole filesystem', async () => {
      const byPath = await manager.exec(victim, `cat ${secretFile}`);
      expect(byPath.exitCode).not.toBe(0);
      expect(byPath.stderr).toMatch(/No such file or directory/);
      expect(byPath.stdout).not.toContain(secretValue);

      // Control: a value the sandbox can see is found by the same search.
      const visible = `visible-${randomBytes(8).toString('hex')}`;
      await manager.writeFile(victim, 'visible.txt', visible);
      const search = await manager.exec(
        victim,
        `find / \\( -path /proc -o -path /sys -o -path /dev \\) -prune -o -type f -print0 2>/dev/null | xargs -0 grep -lF -e ${secretValue} -e ${visible} 2>/dev/null`,
        { timeoutSec: 120 },
      );
      expect(search.stdout.trim().split('\n')).toEqual(['/workspace/visible.txt']);
    });

    it('has no network: curl, python sockets and /dev/tcp to the host all fail', async () => {
      const accepted: Socket[] = [];
      const server: Server = createServer((socket) => {
        accepted.push(socket);
        socket.end('HTTP/1.0 200 OK\r\n\r\nreached the host\n');
      });
      await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
      const port = (server.address() as { port: number }).port;
      const gateway = await dockerBridgeGateway(docker);
      const probes = [
        `curl -sS -m 5 http://127.0.0.1:${port}/; echo "curl-loopback=$?"`,
        `curl -sS -m 5 http://${gateway}:${port}/; echo "curl-host=$?"`,
        `curl -sS -m 5 https://deb.debian.org/; echo "curl-internet=$?"`,
        `python3 -c 'import socket; socket.create_connection(("${gateway}", ${port}), 5)' 2>/dev/null; echo "python-host=$?"`,
        `timeout 5 bash -c 'echo hi > /dev/tcp/127.0.0.1/${port}' 2>/dev/null; echo "devtcp-loopback=$?"`,
        `timeout 5 bash -c 'echo hi > /dev/tcp/${gateway}/${port}' 2>/dev/null; echo "devtcp-host=$?"`,
        `tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '`,
      ].join('\n');
      try {
        const attack = await manager.exec(victim, probes, { timeoutSec: 60 });
        const lines = attack.stdout.trim().split('\n');
        for (const probe of [
          'curl-loopback',
          'curl-host',
          'curl-internet',
          'python-host',
          'devtcp-loopback',
          'devtcp-host',
        ]) {
          const line = lines.find((l) => l.startsWith(`${probe}=`));
          expect(line, probe).toBeDefined();
          expect(line, probe).not.toBe(`${probe}=0`);
        }
        expect(attack.stdout).not.toContain('reached the host');
        // The only interface is loopback.
        expect(lines.slice(-1)).toEqual(['lo']);
        expect(accepted).toHaveLength(0);

        // Control: the same probe from a container on the bridge network does reach the server,
        // so the check above would have caught a sandbox with network access.
        const open = sandboxes.manager({
          stateDir: join(sandboxes.dir, 'state-bridge'),
          config: { docker: { network: 'bridge' } },
        });
        const control = await open.exec(
          `control:${run}`,
          `curl -sS -m 5 http://${gateway}:${port}/`,
        );
        expect(control.stdout).toContain('reached the host');
        expect(accepted.length).toBeGreaterThan(0);
      } finally {
        for (const socket of accepted) socket.destroy();
        await new Promise((resolve) => server.close(resolve));
      }
    });

    it('cannot write outside /workspace; what it writes there the host can read', async () => {
      const tag = randomBytes(6).toString('hex');
      const targets = ['/etc', '/usr/bin', '/', '/root', '/var/lib', '/home'];
      const attack = await manager.exec(
        victim,
        [
          ...targets.map((dir) => `echo x > ${dir}/pwned-${tag} 2>/dev/null; echo "${dir}=$?"`),
          `echo "written in the sandbox" > /workspace/out-${tag}.txt; echo "/workspace=$?"`,
        ].join('\n'),
      );
      for (const dir of targets) expect(attack.stdout).toMatch(new RegExp(`^${dir}=[1-9]`, 'm'));
      expect(attack.stdout).toMatch(/^\/workspace=0$/m);
      for (const dir of targets) expect(existsSync(join(dir, `pwned-${tag}`))).toBe(false);

      // The host reads it through the engine (the workspace is a filesystem image it never mounts).
      expect((await manager.readWorkspaceFile(victim, `out-${tag}.txt`)).toString()).toBe(
        'written in the sandbox\n',
      );
      // Owned by the sandbox user, which is the host user unless Clawdbot runs as root.
      const expectedUid = process.getuid!() === 0 ? 1000 : process.getuid!();
      const owner = await manager.exec(victim, `stat -c %u /workspace /workspace/out-${tag}.txt`);
      expect(owner.stdout).toBe(`${expectedUid}\n${expectedUid}\n`);
      // Nothing of the workspace's files lies in the host directory: only the image.
      expect(readdirSync(victimWorkspace)).toEqual(['clawdbot-workspace.ext4']);
      // The file tools are held to the same walls.
      await expect(manager.writeFile(victim, `/etc/pwned-${tag}`, 'x')).rejects.toThrow(
        /Read-only file system/,
      );
      expect(existsSync(`/etc/pwned-${tag}`)).toBe(false);
    });

    it('contains a fork bomb: the pids limit holds and the host and other sandboxes keep working', async () => {
      const victimId = (await manager.ensure(victim)).id;
      const pidsOf = async (): Promise<number> => {
        const stats = (await docker
          .getContainer(victimId)
          .stats({ stream: false, 'one-shot': true })) as { pids_stats?: { current?: number } };
        return stats.pids_stats?.current ?? 0;
      };
      const ticks: number[] = [];
      const timer = setInterval(() => ticks.push(Date.now()), 100);
      const started = Date.now();
      try {
        // The classic bomb, then a busy loop (no fork needed) so the command runs into its timeout.
        const bomb = manager.exec(victim, ':(){ :|:& };:; while :; do :; done', {
          timeoutSec: 12,
          maxOutputBytes: 4096,
        });
        // Watch it from the host while it rages: it fills the pids limit and stops there.
        const peak = await waitFor(
          'the fork bomb to fill the pids limit',
          async () => {
            const current = await pidsOf();
            return current >= 200 ? current : 0;
          },
          10_000,
        );
        // Keep watching for a while: the count stays at the limit, never above it.
        let most = peak;
        for (const until = Date.now() + 2000; Date.now() < until;)
          most = Math.max(most, await pidsOf());
        expect(most).toBeLessThanOrEqual(256);
        const other = await manager.exec(bystander, 'echo still here');
        expect(other.stdout).toBe('still here\n');
        const result = await bomb;
        expect(result.timedOut).toBe(true);
        expect(result.exitCode).toBe(137);
        expect(result.stderr).toMatch(/fork: (retry: )?Resource temporarily unavailable/);
      } finally {
        clearInterval(timer);
      }
      // This process stayed responsive: its timer kept firing throughout.
      const gaps = ticks.slice(1).map((t, i) => t - ticks[i]!);
      expect(ticks.length).toBeGreaterThan((Date.now() - started) / 100 / 2);
      expect(Math.max(...gaps)).toBeLessThan(5000);
      // The bomb died with its command: only the init and `sleep infinity` are left.
      await waitFor('the bomb to be gone', async () => (await pidsOf()) <= 2, 10_000);
      const after = await manager.exec(victim, 'echo recovered');
      expect(after.stdout).toBe('recovered\n');
    });

    it('a symlink to a host file in the workspace is refused by host-side reads', async () => {
      const plant = await manager.exec(
        victim,
        [
          `ln -sf ${secretFile} leak`,
          'ln -sfn / rootlink',
          `ln -sfn ${homedir()} homelink`,
          'echo plain > plain.txt',
        ].join(' && '),
      );
      expect(plant.exitCode).toBe(0);

      const refused = (relPath: string): Promise<unknown> =>
        manager.readWorkspaceFile(victim, relPath).then(
          (bytes) => bytes.toString(),
          (error: unknown) => error,
        );
      // A link itself is refused; through a link the engine resolves inside the container, where
      // the host's files are not.
      const leak = await refused('leak');
      expect(leak).toBeInstanceOf(WorkspacePathError);
      expect((leak as WorkspacePathError).reason).toBe('symlink');
      for (const path of [`rootlink${secretFile}`, `homelink/${markerName}`]) {
        const outcome = await refused(path);
        expect(outcome, path).toBeInstanceOf(WorkspacePathError);
        expect(String(outcome)).not.toContain(secretValue);
      }
      for (const path of ['../etc/passwd', '/etc/passwd', '']) {
        expect(await refused(path), path).toBeInstanceOf(WorkspacePathError);
      }
      expect((await manager.readWorkspaceFile(victim, 'plain.txt')).toString()).toBe('plain\n');
      // Inside the container the link points at nothing: the host file is not there.
      await expect(manager.readFile(victim, 'leak')).rejects.toThrow(SandboxFileError);
    });

    it("holds no API key or token from the gateway's environment", async () => {
      const dump = await manager.exec(victim, "env; tr '\\0' '\\n' < /proc/1/environ 2>/dev/null");
      expect(dump.stdout).toContain('HOME=/workspace');
      expect(dump.stdout).toContain('LANG=C.UTF-8');
      for (const [key, value] of Object.entries(canaries)) {
        expect(process.env[key]).toBe(value);
        expect(dump.stdout).not.toContain(value);
        expect(dump.stdout).not.toContain(`${key}=`);
      }
      // Host-side view: the container was created with the allowlist only.
      const info = await docker.getContainer(manager.containerNameFor(victim)).inspect();
      expect(info.Config.Env.map((e) => e.split('=')[0]).sort()).toEqual(['HOME', 'LANG', 'PATH']);
    });

    it('runs as a non-root user with no capabilities, no privilege gain, one mount', async () => {
      const status = await manager.exec(
        victim,
        "id -u; grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs|Seccomp):' /proc/self/status",
      );
      const [uid, ...fields] = status.stdout.trim().split('\n');
      expect(Number(uid)).not.toBe(0);
      expect(Number(uid)).toBe(process.getuid!() === 0 ? 1000 : process.getuid!());
      const byName = Object.fromEntries(fields.map((f) => f.split(/:\s+/) as [string, string]));
      for (const cap of ['CapInh', 'CapPrm', 'CapEff', 'CapBnd', 'CapAmb']) {
        expect(byName[cap], cap).toBe('0000000000000000');
      }
      expect(byName['NoNewPrivs']).toBe('1');
      expect(byName['Seccomp']).toBe('2');

      const info = await docker.getContainer(manager.containerNameFor(victim)).inspect();
      expect(info.HostConfig.Privileged).toBe(false);
      expect(info.HostConfig.ReadonlyRootfs).toBe(true);
      expect(info.HostConfig.NetworkMode).toBe('none');
      expect(info.Mounts.map((m) => [m.Type, m.Driver, m.Destination])).toEqual([
        ['volume', 'local', '/workspace'],
      ]);
    });

    it('fails closed when Docker is unreachable: a typed error, and nothing runs on the host', async () => {
      const hostMarker = join(sandboxes.dir, `ran-on-host-${randomBytes(4).toString('hex')}`);
      const unreachable = sandboxes.manager({
        stateDir: join(sandboxes.dir, 'state-nodocker'),
        docker: new Docker({ socketPath: NO_DOCKER_HOST.replace('unix://', '') }),
      });
      const attempts = [
        unreachable.exec(victim, `touch ${hostMarker}`),
        unreachable.writeFile(victim, hostMarker, 'x'),
        unreachable.readFile(victim, secretFile),
      ];
      for (const attempt of attempts) {
        const error = await attempt.then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(SandboxUnavailableError);
        expect((error as SandboxUnavailableError).reason).toBe('docker-unreachable');
        expect((error as Error).message).toMatch(
          /^Docker is not reachable at \/nonexistent\/clawdbot-test-docker\.sock .*sandboxed tools are refused; nothing runs on the host$/,
        );
      }
      expect(existsSync(hostMarker)).toBe(false);
    });

    it('fails closed when Docker goes away mid-session', async () => {
      // A proxy in front of the real engine stands in for Docker, so it can be "stopped".
      const proxyDir = scratchDir('docker-proxy');
      const proxy = await stoppableDockerProxy(proxyDir.dir);
      const session = `group:whatsapp:${run}-midway`;
      const hostMarker = join(sandboxes.dir, `ran-on-host-${randomBytes(4).toString('hex')}`);
      try {
        const viaProxy = sandboxes.manager({ docker: proxy.docker });
        expect((await viaProxy.exec(session, 'echo warm')).stdout).toBe('warm\n');
        await proxy.stop();
        const error = await viaProxy.exec(session, `touch ${hostMarker}`).then(
          () => null,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(SandboxUnavailableError);
        expect((error as SandboxUnavailableError).reason).toBe('docker-unreachable');
        expect(existsSync(hostMarker)).toBe(false);
      } finally {
        await proxy.stop();
        proxyDir.remove();
      }
    });
  },
);
