import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_IMAGE } from '../../src-shared/config/sandbox-schema.js';
import { MAX_UI_FILE_BYTES } from '../../src-shared/domain/sandbox.js';
import type { SandboxConfigInput } from '../../src-shared/config/sandbox-schema.js';
import { SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import { installationId } from '../../src-main/installation-id.js';
import { createKillSwitchRepo } from '../../src-main/store/kill-switch-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createRuntimeRepo } from '../../src-main/store/runtime-repo.js';
import { engageKillSwitch } from '../../src-main/supervisor/kill-switch.js';
import { SANDBOX_LABEL_FILTER, INSTALLATION_LABEL } from '../../src-main/docker/sandbox-labels.js';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../fixtures/scripted-model-server.js';
import { startAgentGateway, type AgentGateway } from '../helpers/agent-gateway.js';
import { lastTimestampMs, readTimestamps, startBusyLoop } from '../helpers/busy-sandbox.js';
import { runCli } from '../helpers/cli.js';
import { expectRedTeamBasicsHeld, redTeamBasicsPrompt } from '../helpers/red-team-basics.js';
import { dockerAvailable, testDockerClient } from '../helpers/docker.js';
import { podmanMissing, startPodmanEngine } from '../helpers/podman-engine.js';
import { startPrivateDockerEngine } from '../helpers/private-docker-engine.js';
import {
  SANDBOX_IMAGE_BUILD_TIMEOUT_MS,
  ensureSandboxImage,
  sandboxImageMissing,
} from '../helpers/sandbox-image.js';
import { waitFor } from '../helpers/wait.js';
import { sandboxTestLog, scratchDir } from '../sandbox/sandbox-test-kit.js';

const hasDocker = await dockerAvailable();
const required = process.env['CLAWDBOT_REQUIRE_DOCKER'] === '1';
/** Debian's gVisor (`apt-get install runsc`). */
const RUNSC = '/usr/bin/runsc';

/** An engine the same security suite runs on. */
interface MatrixEngine {
  docker: Docker;
  /** `unix://…`, for `DOCKER_HOST`. */
  host: string;
  /** What `clawdbot status --json` must call it. */
  kind: 'docker' | 'podman';
  /** `agent.sandbox.docker.runtime` for sandboxes there (unset: the engine's default). */
  runtime?: string;
  stop(): Promise<void>;
}

/**
 * The engines, each with why it cannot run here (null: it can). `runc`: the test engine itself;
 * `runsc`: an engine of the test's own with gVisor registered (with `--network=none`, as gVisor's
 * guide registers it); `podman`: Podman's Docker-compatible service, of the test's own.
 */
const ENGINES: {
  name: string;
  missing: string | null;
  start(source: Docker): Promise<MatrixEngine>;
}[] = [
  {
    name: 'runc (the Docker test engine)',
    missing: null,
    start: (source) =>
      Promise.resolve({
        docker: source,
        host: process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock',
        kind: 'docker',
        stop: () => Promise.resolve(),
      }),
  },
  {
    name: 'runsc (gVisor, on a Docker engine)',
    missing: existsSync(RUNSC) ? null : `${RUNSC} is missing: apt-get install -y runsc`,
    async start(source) {
      const engine = await startPrivateDockerEngine({
        runtimes: { runsc: { path: RUNSC, runtimeArgs: ['--network=none'] } },
      });
      await engine.copyImageFrom(source, DEFAULT_SANDBOX_IMAGE);
      return {
        docker: engine.docker,
        host: engine.host,
        kind: 'docker',
        runtime: 'runsc',
        stop: () => engine.stop(),
      };
    },
  },
  {
    name: 'Podman (its Docker-compatible service)',
    missing: podmanMissing(),
    async start(source) {
      const engine = await startPodmanEngine();
      try {
        await engine.copyImageFrom(source, DEFAULT_SANDBOX_IMAGE);
      } catch (error) {
        await engine.stop();
        throw error;
      }
      return {
        docker: engine.docker,
        host: engine.host,
        kind: 'podman',
        stop: () => engine.stop(),
      };
    },
  },
];

for (const engine of ENGINES) {
  if (engine.missing !== null && hasDocker && required) {
    throw new Error(`CLAWDBOT_REQUIRE_DOCKER=1 but ${engine.name} cannot run: ${engine.missing}`);
  }
}

/**
 * The sandbox's security promises, the same tests on every engine a user may run sandboxes on:
 * a friend's tool call runs there, the red-team basics and the limits hold, a file the tool
 * wrote is readable through the read tool, and the kill switch stops and removes the sandbox.
 */
for (const { name, missing, start } of ENGINES) {
  describe.skipIf(!hasDocker || sandboxImageMissing() || missing !== null)(
    `the sandbox on ${name}`,
    { tags: ['docker', 'sandbox-image'] },
    () => {
      const owner = '424242';
      const friend = '7007';
      const state = scratchDir('engine-matrix');
      const hostSecret = `host-secret-${randomBytes(10).toString('hex')}`;
      const secretFile = join(tmpdir(), `clawdbot-matrix-secret-${randomBytes(6).toString('hex')}`);
      const homeMarker = `clawdbot-matrix-home-${randomBytes(6).toString('hex')}`;
      let engine: MatrixEngine;
      let model: ScriptedModelServer;
      let gateway: AgentGateway;
      let manager: SandboxManager;
      const sandboxConfig = (): SandboxConfigInput => ({
        docker: engine.runtime !== undefined ? { runtime: engine.runtime } : {},
        // The smallest workspace, so filling it is quick.
        workspace: { maxMiB: 32 },
      });
      const ask = async (text: string): Promise<string> =>
        (await gateway.telegramDm(friend, text)).join('\n');

      beforeAll(async () => {
        const source = testDockerClient(0);
        await ensureSandboxImage(source);
        engine = await start(source);
        model = await startScriptedModelServer(obeyingAttacker());
        writeFileSync(secretFile, hostSecret, { mode: 0o644 });
        writeFileSync(join(homedir(), homeMarker), 'host home marker');
        gateway = await startAgentGateway({
          stateDir: join(state.dir, 'gateway'),
          config: {
            owner: { telegram: [owner] },
            telegram: { allowFrom: [friend] },
            limits: { sender: { messagesPerMinute: null } },
            agent: {
              model: { provider: 'openai', name: 'attacker', baseUrl: model.baseUrlFor('openai') },
              tools: { timeoutSec: 60 },
              sandbox: sandboxConfig(),
            },
          },
          env: { PATH: process.env['PATH'] },
          docker: engine.docker,
        });
        manager = new SandboxManager({
          stateDir: join(state.dir, 'manager'),
          config: sandboxConfig(),
          docker: engine.docker,
          log: sandboxTestLog,
        });
      }, SANDBOX_IMAGE_BUILD_TIMEOUT_MS);

      afterAll(async () => {
        await gateway?.stop();
        await model?.close();
        const ours = await engine?.docker
          .listContainers({ all: true, filters: { label: [SANDBOX_LABEL_FILTER] } })
          .catch(() => []);
        for (const dir of ['gateway', 'manager']) {
          const id = existsSync(join(state.dir, dir)) ? installationId(join(state.dir, dir)) : '';
          for (const c of (ours ?? []).filter((c) => c.Labels[INSTALLATION_LABEL] === id)) {
            await engine.docker
              .getContainer(c.Id)
              .remove({ force: true, v: true })
              .catch(() => undefined);
          }
        }
        await engine?.stop();
        rmSync(secretFile, { force: true });
        rmSync(join(homedir(), homeMarker), { force: true });
        state.remove();
      });

      it("a friend's tool call runs in a container on this engine, and a file it wrote is readable through the read tool", async () => {
        const marker = `written-${randomBytes(6).toString('hex')}`;
        const reply = await ask(
          `run: echo ${marker} > /workspace/note.txt; echo wrote\nread: note.txt`,
        );
        expect(reply).toContain('wrote');
        expect(reply).toContain(marker);
        const calls = gateway
          .transcript(`dm:telegram:${friend}`)
          .filter((e) => e.kind === 'tool-call');
        expect(calls.map((c) => c.data)).toEqual([
          expect.objectContaining({ where: 'sandbox' }),
          expect.objectContaining({ where: 'sandbox' }),
        ]);
        const [listed] = await engine.docker.listContainers({
          filters: { label: [`clawdbot.sessionKey=dm:telegram:${friend}`] },
        });
        expect(listed).toBeDefined();
        const info = await engine.docker.getContainer(listed!.Id).inspect();
        if (engine.runtime !== undefined) expect(info.HostConfig.Runtime).toBe(engine.runtime);
        // The Sandboxes view's reader shows the same file, through this engine.
        const viewer = new SandboxManager({
          stateDir: gateway.stateDir,
          config: sandboxConfig(),
          docker: engine.docker,
          log: sandboxTestLog,
        });
        const shown = await viewer.readSandboxFile(
          info.Name.replace(/^\//, ''),
          'note.txt',
          MAX_UI_FILE_BYTES,
        );
        expect(shown?.toString('utf8')).toBe(`${marker}\n`);
      });

      it('`clawdbot status --json` names the engine and says it answers', async () => {
        const status = await runCli(['status', '--json'], {
          CLAWDBOT_STATE_DIR: gateway.stateDir,
          DOCKER_HOST: engine.host,
        });
        expect(status.stderr).toBe('');
        const { sandboxEngine } = JSON.parse(status.stdout) as {
          sandboxEngine: { reachable: boolean; kind: string; runtime: { available: boolean } };
        };
        expect(sandboxEngine).toMatchObject({
          reachable: true,
          kind: engine.kind,
          runtime: { available: true },
        });
      });

      it('`clawdbot doctor` names the engine', async () => {
        const doctor = await runCli(['doctor', '--json'], {
          CLAWDBOT_STATE_DIR: gateway.stateDir,
          DOCKER_HOST: engine.host,
        });
        const report = JSON.parse(doctor.stdout) as { checks: { id: string; summary: string }[] };
        const check = report.checks.find((c) => c.id === 'docker.engine');
        expect(check?.summary).toMatch(
          new RegExp(`^${engine.kind === 'podman' ? 'Podman' : 'Docker'} \\S+ at `),
        );
      });

      it('the red-team basics hold: no host files, no network, a read-only root, not root', async () => {
        const reply = await ask(redTeamBasicsPrompt(secretFile, homeMarker));
        expectRedTeamBasicsHeld(reply, hostSecret);
      });

      it('memory: a process past the limit is killed (under gVisor: the sandbox), and the sandbox works after it', async () => {
        const key = 'dm:telegram:memory';
        const before = await manager.ensure(key);
        // A process that keeps growing: tail of a line that never ends.
        const hog = manager.exec(
          key,
          'head -c 900m /dev/zero | tail > /dev/null; echo "tail=${PIPESTATUS[1]}"',
          { timeoutSec: 90 },
        );
        if (engine.runtime === 'runsc') {
          // gVisor's kernel is one process on the host, inside the container's memory cgroup:
          // the host kills the whole sandbox, not only the process that grew.
          await waitFor(
            'the sandbox to be killed',
            async () => !(await engine.docker.getContainer(before.id).inspect()).State.Running,
            90_000,
          );
          const info = await engine.docker.getContainer(before.id).inspect();
          expect(info.State.ExitCode).toBe(137);
          expect((await hog).stdout).not.toContain('tail=0');
        } else {
          expect((await hog).stdout).toMatch(/tail=137/);
        }
        await waitFor(
          'the sandbox to work after it',
          async () =>
            (await manager.exec(key, 'echo recovered').catch(() => null))?.stdout === 'recovered\n',
        );
      }, 240_000);

      it('processes: a fork bomb stops at the pids limit, and the sandbox works after it', async () => {
        const key = 'dm:telegram:pids';
        const bomb = await manager.exec(key, ':(){ :|:& };:; while :; do :; done', {
          timeoutSec: 8,
        });
        expect(bomb.timedOut).toBe(true);
        if (engine.runtime === 'runsc') {
          // The pids limit counts gVisor's own host threads too: the bomb ends the sandbox.
          expect(bomb.stderr).toMatch(
            /fork: (retry: )?Resource temporarily unavailable|containerManager\.WaitPID" failed/,
          );
        } else {
          expect(bomb.stderr).toMatch(/fork: (retry: )?Resource temporarily unavailable/);
        }
        await waitFor(
          'the sandbox to work after the bomb',
          async () =>
            (await manager.exec(key, 'echo recovered').catch(() => null))?.stdout === 'recovered\n',
        );
        const handle = await manager.ensure(key);
        const info = await engine.docker.getContainer(handle.id).inspect();
        expect(info.HostConfig.PidsLimit).toBe(256);
      }, 120_000);

      it('open files, processes per user and CPU: the limits every engine is given hold', async () => {
        const key = 'dm:telegram:ulimits';
        const ulimits = await manager.exec(key, 'ulimit -Hn; ulimit -Sn; ulimit -Hu');
        expect(ulimits.stdout).toBe('1024\n1024\n4096\n');
        const handle = await manager.ensure(key);
        const info = await engine.docker.getContainer(handle.id).inspect();
        expect(info.HostConfig.NanoCpus).toBe(1e9);
      });

      it('the workspace: the kernel refuses writes past its size', async () => {
        const key = 'dm:telegram:full';
        const full = await manager.exec(
          key,
          'dd if=/dev/zero of=/workspace/fill bs=1M count=64 2>&1; df -m /workspace | tail -1',
        );
        expect(full.stdout).toMatch(/No space left on device/);
        const sizeMiB = Number(full.stdout.trim().split('\n').at(-1)!.split(/\s+/)[1]);
        expect(sizeMiB).toBeGreaterThan(0);
        expect(sizeMiB).toBeLessThanOrEqual(32);
      }, 60_000);

      it('`sandbox stop` freezes and removes a running sandbox, and the next call starts afresh', async () => {
        const key = 'dm:telegram:stop';
        const handle = await manager.ensure(key);
        await manager.exec(key, 'echo kept > /workspace/kept.txt');
        expect(await manager.stop(handle.name)).toBe(true);
        await expect(engine.docker.getContainer(handle.id).inspect()).rejects.toMatchObject({
          statusCode: 404,
        });
        expect((await manager.exec(key, 'cat /workspace/kept.txt')).stdout).toBe('kept\n');
        expect(await manager.stop(handle.name)).toBe(true);
      }, 120_000);

      it('the kill switch stops a busy sandbox (no write after the stopped moment) and removes it', async () => {
        const key = 'dm:telegram:busy';
        const handle = await manager.ensure(key);
        await startBusyLoop(engine.docker, handle.id, 2);
        await waitFor(`${handle.name} to write timestamps`, async () => {
          const text = await readTimestamps(engine.docker, handle.id).catch(() => '');
          return text.split('\n').length > 5;
        });
        const dir = join(state.dir, 'manager');
        const db = openDatabase(dir);
        try {
          const report = await engageKillSwitch(
            {
              killSwitch: createKillSwitchRepo(db),
              runtime: createRuntimeRepo(db),
              stateDir: dir,
              docker: engine.docker,
              reach: { kind: 'installation', id: installationId(dir) },
            },
            'engine matrix',
            'ui',
          );
          expect(report.sandboxes).toMatchObject({ dockerReachable: true, error: null });
          // The busy one was frozen; every sandbox of the installation went without an error.
          expect(report.sandboxes.containers).toContainEqual(
            expect.objectContaining({ id: handle.id, stop: 'frozen', error: null }),
          );
          expect(report.sandboxes.containers.filter((c) => c.error !== null)).toEqual([]);
          expect(report.stoppedMs).not.toBeNull();
          expect(report.removedMs).not.toBeNull();
          expect(report.sandboxes.containers.find((c) => c.id === handle.id)).toMatchObject({
            error: null,
          });
          const left = await engine.docker.listContainers({
            all: true,
            filters: { label: [`${INSTALLATION_LABEL}=${installationId(dir)}`] },
          });
          expect(left).toEqual([]);
          // The workspace outlives the container: its last write came before the stopped moment.
          const after = (await manager.readWorkspaceFile(key, 'ts')).toString('utf8');
          expect(after.length).toBeGreaterThan(0);
          expect(lastTimestampMs(after)).toBeLessThanOrEqual(
            report.engagedAt + report.stoppedMs! + 1,
          );
        } finally {
          db.close();
          await manager.stop(manager.containerNameFor(key)).catch(() => undefined);
        }
      }, 120_000);
    },
  );
}
