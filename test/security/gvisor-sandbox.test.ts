import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SANDBOX_IMAGE } from '../../src-shared/config/sandbox-schema.js';
import { SandboxUnavailableError } from '../../src-main/sandbox/sandbox-errors.js';
import { SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../fixtures/scripted-model-server.js';
import { startAgentGateway, type AgentGateway } from '../helpers/agent-gateway.js';
import { runCli } from '../helpers/cli.js';
import { expectRedTeamBasicsHeld, redTeamBasicsPrompt } from '../helpers/red-team-basics.js';
import { dockerAvailable, testDockerClient } from '../helpers/docker.js';
import {
  startPrivateDockerEngine,
  type PrivateDockerEngine,
} from '../helpers/private-docker-engine.js';
import {
  SANDBOX_IMAGE_BUILD_TIMEOUT_MS,
  ensureSandboxImage,
  sandboxImageMissing,
} from '../helpers/sandbox-image.js';
import { sandboxTestLog, scratchDir } from '../sandbox/sandbox-test-kit.js';

const hasDocker = await dockerAvailable();
/** Debian's gVisor (`apt-get install runsc`). */
const RUNSC = '/usr/bin/runsc';
const runscMissing = !existsSync(RUNSC);
if (runscMissing && hasDocker && process.env['CLAWDBOT_REQUIRE_DOCKER'] === '1') {
  throw new Error(
    `CLAWDBOT_REQUIRE_DOCKER=1 but gVisor is not installed (${RUNSC} is missing): apt-get install -y runsc`,
  );
}

interface StatusJson {
  sandboxEngine: {
    reachable: boolean;
    runtime: { configured: string | null; inUse: string | null; available: boolean };
  };
}

/**
 * A friend's sandboxed session under gVisor: an engine of the test's own with `runsc` registered
 * (with `--network=none`, as gVisor's own guide registers it), `agent.sandbox.docker.runtime`
 * set to it, and a model that does whatever it is told. And the same setting on an engine
 * without it, where tools must fail closed.
 */
describe.skipIf(!hasDocker || sandboxImageMissing() || runscMissing)(
  "an allowed friend's sandboxed session under gVisor (runsc)",
  { tags: ['docker', 'sandbox-image'] },
  () => {
    const owner = '424242';
    const friend = '7007';
    const state = scratchDir('security-gvisor');
    const hostSecret = `host-secret-${randomBytes(10).toString('hex')}`;
    const secretFile = join(tmpdir(), `clawdbot-gvisor-secret-${randomBytes(6).toString('hex')}`);
    const homeMarker = `clawdbot-gvisor-home-${randomBytes(6).toString('hex')}`;
    let withRunsc: PrivateDockerEngine;
    let withoutRunsc: PrivateDockerEngine;
    let model: ScriptedModelServer;
    let gateway: AgentGateway;

    const configFor = (runtime: string) => ({
      owner: { telegram: [owner] },
      telegram: { allowFrom: [friend] },
      limits: { sender: { messagesPerMinute: null } },
      agent: {
        model: {
          provider: 'openai' as const,
          name: 'attacker',
          baseUrl: model.baseUrlFor('openai'),
        },
        tools: { timeoutSec: 30 },
        sandbox: { docker: { runtime } },
      },
    });
    const ask = async (text: string): Promise<string> =>
      (await gateway.telegramDm(friend, text)).join('\n');

    beforeAll(async () => {
      const testDocker = testDockerClient(0);
      await ensureSandboxImage(testDocker);
      [withRunsc, withoutRunsc] = await Promise.all([
        startPrivateDockerEngine({
          runtimes: { runsc: { path: RUNSC, runtimeArgs: ['--network=none'] } },
        }),
        startPrivateDockerEngine(),
      ]);
      await withRunsc.copyImageFrom(testDocker, DEFAULT_SANDBOX_IMAGE);
      model = await startScriptedModelServer(obeyingAttacker());
      writeFileSync(secretFile, hostSecret, { mode: 0o644 });
      writeFileSync(join(homedir(), homeMarker), 'host home marker');
      gateway = await startAgentGateway({
        stateDir: join(state.dir, 'state'),
        config: configFor('runsc'),
        env: { PATH: process.env['PATH'] },
        docker: withRunsc.docker,
      });
    }, SANDBOX_IMAGE_BUILD_TIMEOUT_MS);

    afterAll(async () => {
      await gateway?.stop();
      await model?.close();
      await withRunsc?.stop();
      await withoutRunsc?.stop();
      rmSync(secretFile, { force: true });
      rmSync(join(homedir(), homeMarker), { force: true });
      state.remove();
    });

    it("the friend's tool call runs in a container under runsc, whose kernel is gVisor's", async () => {
      const reply = await ask('run: cat /proc/version; dmesg 2>&1 | head -3');
      expect(reply).toMatch(/Starting gVisor/);
      const call = gateway.transcript(`dm:telegram:${friend}`).find((e) => e.kind === 'tool-call');
      expect(call?.data).toMatchObject({ where: 'sandbox' });
      const [listed] = await withRunsc.docker.listContainers({
        filters: { label: [`clawdbot.sessionKey=dm:telegram:${friend}`] },
      });
      expect(listed).toBeDefined();
      const info = await withRunsc.docker.getContainer(listed!.Id).inspect();
      expect(info.HostConfig.Runtime).toBe('runsc');
    });

    it('the red-team basics hold there: no host files, no network, a read-only root, not root', async () => {
      const reply = await ask(redTeamBasicsPrompt(secretFile, homeMarker));
      // Only loopback too: the engine gave the container no interface, and runsc added none.
      expectRedTeamBasicsHeld(reply, hostSecret);
    });

    it('`status --json` names the runtime in use and that the engine has it', async () => {
      const status = await runCli(['status', '--json'], {
        CLAWDBOT_STATE_DIR: gateway.stateDir,
        DOCKER_HOST: withRunsc.host,
      });
      expect(status.stderr).toBe('');
      const { sandboxEngine } = JSON.parse(status.stdout) as StatusJson;
      expect(sandboxEngine).toMatchObject({
        reachable: true,
        runtime: { configured: 'runsc', inUse: 'runsc', available: true },
      });
      const elsewhere = await runCli(['status', '--json'], {
        CLAWDBOT_STATE_DIR: gateway.stateDir,
        DOCKER_HOST: withoutRunsc.host,
      });
      expect((JSON.parse(elsewhere.stdout) as StatusJson).sandboxEngine.runtime).toMatchObject({
        configured: 'runsc',
        available: false,
      });
    });

    it('on an engine without runsc, sandboxed tools fail closed, naming the fix, and start nothing', async () => {
      const stateDir = join(state.dir, 'missing');
      const missing = await startAgentGateway({
        stateDir,
        config: configFor('runsc'),
        env: { PATH: process.env['PATH'] },
        docker: withoutRunsc.docker,
      });
      try {
        const reply = (await missing.telegramDm(friend, 'run: echo ran-somewhere')).join('\n');
        expect(reply).not.toContain('ran-somewhere');
        expect(reply).toMatch(/no such runtime/);
        expect(reply).toMatch(/runsc/);
      } finally {
        await missing.stop();
      }
      const manager = new SandboxManager({
        stateDir,
        config: { docker: { runtime: 'runsc' } },
        docker: withoutRunsc.docker,
        log: sandboxTestLog,
      });
      const error = await manager.exec('dm:telegram:1', 'true').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SandboxUnavailableError);
      expect((error as SandboxUnavailableError).reason).toBe('runtime-missing');
      expect((error as Error).message).toMatch(
        /agent\.sandbox\.docker\.runtime is "runsc", but the Docker engine has no such runtime \(it lists: .*runc.*\).*apt-get install runsc.*daemon\.json.*remove agent\.sandbox\.docker\.runtime/,
      );
      expect(await withoutRunsc.docker.listContainers({ all: true })).toEqual([]);
    });
  },
);
