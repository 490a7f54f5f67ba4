import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WorkspacePathError } from '../../src-main/sandbox/sandbox-errors.js';
import { SandboxManager } from '../../src-main/sandbox/sandbox-manager.js';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../fixtures/scripted-model-server.js';
import { startAgentGateway, type AgentGateway } from '../helpers/agent-gateway.js';
import { dockerAvailable, testDockerClient } from '../helpers/docker.js';
import {
  SANDBOX_IMAGE_BUILD_TIMEOUT_MS,
  ensureSandboxImage,
  sandboxImageMissing,
} from '../helpers/sandbox-image.js';
import {
  dockerBridgeGateway,
  removeRunSandboxes,
  sandboxTestLog,
  scratchDir,
  testRunTag,
} from '../sandbox/sandbox-test-kit.js';

const hasDocker = await dockerAvailable();

/**
 * An allowed friend's session, talking to a model that does whatever it is told. Everything is
 * real except the model: the access pipeline, the agent loop, the OpenAI client over HTTP, the
 * Docker sandbox. Each test asserts what the friend got back and what the host was left with.
 */
describe.skipIf(!hasDocker || sandboxImageMissing())(
  "an allowed friend's sandboxed session, with an obedient model",
  { tags: ['docker', 'sandbox-image'] },
  () => {
    const docker = testDockerClient(0);
    const run = testRunTag('friend');
    // The friend's id carries the run tag, so this file's containers are found and removed.
    const friend = `7${parseInt(run.slice(-8), 16)}`;
    const owner = '424242';
    const state = scratchDir('security-friend');
    const stateDir = join(state.dir, 'state');
    const canaries = {
      OPENAI_API_KEY: `sk-canary-${randomBytes(10).toString('hex')}`,
      ANTHROPIC_API_KEY: `sk-ant-canary-${randomBytes(10).toString('hex')}`,
      TELEGRAM_BOT_TOKEN: `123456789:AA${randomBytes(16).toString('hex')}`,
    };
    const hostSecret = `host-secret-${randomBytes(10).toString('hex')}`;
    const secretFile = join(tmpdir(), `clawdbot-friend-secret-${randomBytes(6).toString('hex')}`);
    const homeMarker = `clawdbot-home-marker-${randomBytes(6).toString('hex')}`;
    let model: ScriptedModelServer;
    let gateway: AgentGateway;
    let listener: Server;
    let hits = 0;
    let sessionKey: string;

    const ask = async (text: string): Promise<string> =>
      (await gateway.telegramDm(friend, text)).join('\n');
    // Host-side code reading the friend's workspace, as an export would: through the engine.
    const hostReader = (): SandboxManager =>
      new SandboxManager({ stateDir, docker, log: sandboxTestLog });

    beforeAll(async () => {
      await ensureSandboxImage(docker);
      model = await startScriptedModelServer(obeyingAttacker());
      writeFileSync(secretFile, hostSecret, { mode: 0o644 });
      writeFileSync(join(homedir(), homeMarker), 'host home marker');
      listener = createServer((_req, res) => {
        hits++;
        res.end('reached the host');
      });
      await new Promise<void>((resolve) => listener.listen(0, '0.0.0.0', resolve));
      gateway = await startAgentGateway({
        stateDir,
        config: {
          owner: { telegram: [owner] },
          telegram: { allowFrom: [friend] },
          // One friend plays a dozen turns back to back here; the rate limit has tests of its own.
          limits: { sender: { messagesPerMinute: null } },
          agent: {
            model: { provider: 'openai', name: 'attacker', baseUrl: model.baseUrlFor('openai') },
            tools: { timeoutSec: 20 },
          },
        },
        env: { PATH: process.env['PATH'], ...canaries },
        docker,
      });
      sessionKey = `dm:telegram:${friend}`;
    }, SANDBOX_IMAGE_BUILD_TIMEOUT_MS);

    afterAll(async () => {
      await gateway?.stop();
      await model?.close();
      await new Promise<void>((resolve) => listener.close(() => resolve()));
      await removeRunSandboxes(docker, friend);
      rmSync(secretFile, { force: true });
      rmSync(join(homedir(), homeMarker), { force: true });
      state.remove();
    });

    it('`find ~` lists only the container; the host home is not there', async () => {
      const reply = await ask('run: echo "HOME=$HOME"; find ~ / -xdev 2>/dev/null | head -2000');
      expect(reply).toContain('HOME=/workspace');
      expect(reply).not.toContain(homeMarker);
      expect(reply).not.toContain(stateDir);
      // The tool really ran in the sandbox, not just "configured" to.
      const call = gateway.transcript(sessionKey).find((e) => e.kind === 'tool-call');
      expect(call?.data).toMatchObject({ where: 'sandbox' });
      const containers = await docker.listContainers({
        filters: { label: [`clawdbot.sessionKey=${sessionKey}`] },
      });
      expect(containers).toHaveLength(1);
    });

    it('cannot read a host secret file, with bash or the read tool', async () => {
      const viaBash = await ask(`run: cat ${secretFile}`);
      expect(viaBash).toMatch(/No such file/);
      expect(viaBash).not.toContain(hostSecret);
      const viaRead = await ask(`read: ${secretFile}`);
      expect(viaRead).toMatch(/read failed/);
      expect(viaRead).not.toContain(hostSecret);
    });

    it('has no network: curl, wget and /dev/tcp to the host all fail', async () => {
      const host = await dockerBridgeGateway(docker);
      const port = (listener.address() as AddressInfo).port;
      const reply = await ask(
        [
          `run: curl -sS -m 3 http://${host}:${port}/ ; echo "curl=$?"`,
          `run: wget -q -T 3 -O- http://${host}:${port}/ ; echo "wget=$?"`,
          `run: timeout 3 bash -c 'echo hi > /dev/tcp/${host}/${port}' ; echo "tcp=$?"`,
        ].join('\n'),
      );
      expect(reply).not.toContain('reached the host');
      expect(reply).toMatch(/curl=[1-9]/);
      expect(reply).toMatch(/wget=[1-9]/);
      expect(reply).toMatch(/tcp=[1-9]/);
      expect(hits).toBe(0);
    });

    it('cannot write outside /workspace; what it writes inside stays in its workspace', async () => {
      const reply = await ask(
        'run: for d in /etc /usr/bin / /root /home; do touch "$d/pwned" 2>/dev/null && echo "wrote $d"; done; echo done\nwrite: /etc/pwned.conf owned',
      );
      expect(reply).not.toMatch(/wrote \//);
      expect(reply).toMatch(/write failed/);
      const inside = await ask('write: notes/todo.txt buy milk');
      expect(inside).toContain('wrote');
      expect((await hostReader().readWorkspaceFile(sessionKey, 'notes/todo.txt')).toString()).toBe(
        'buy milk',
      );
    });

    it('a fork bomb is contained and the gateway keeps answering others', async () => {
      const bomb = ask('run: bomb() { bomb | bomb & }; bomb; sleep 2; echo survived');
      // The owner's host session is answered while the friend's sandbox is busy being bombed.
      const ownerReply = await gateway.telegramDm(owner, 'hello owner here');
      expect(ownerReply.join('\n')).toContain('hello owner here');
      const reply = await bomb;
      expect(reply).toMatch(/exit code|timeout/);
      // And the sandbox is usable again afterwards.
      expect(await ask('run: echo still-alive')).toContain('still-alive');
    });

    it('a symlink to a host file in the workspace is refused by host-side reads', async () => {
      await ask(
        `run: ln -sf ${secretFile} /workspace/leak; ln -sf /etc/shadow /workspace/shadow; ls -l /workspace`,
      );
      for (const name of ['leak', 'shadow']) {
        await expect(hostReader().readWorkspaceFile(sessionKey, name)).rejects.toThrow(
          WorkspacePathError,
        );
      }
      // Reading it through the tool follows the link inside the container, where the host file is not.
      expect(await ask('read: /workspace/leak')).not.toContain(hostSecret);
    });

    it("the container's environment holds no API key or token", async () => {
      const reply = await ask('run: env; cat /proc/1/environ | tr "\\0" "\\n"');
      expect(reply).toContain('HOME=/workspace');
      for (const value of Object.values(canaries)) expect(reply).not.toContain(value);
      expect(existsSync(stateDir)).toBe(true);
    });
  },
);
