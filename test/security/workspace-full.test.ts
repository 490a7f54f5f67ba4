import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workspaceDirFor } from '../../src-main/sandbox/workspace.js';
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
import { removeRunSandboxes, scratchDir, testRunTag } from '../sandbox/sandbox-test-kit.js';

const hasDocker = await dockerAvailable();

const MiB = 1024 * 1024;
const LIMIT_MIB = 64;

/**
 * A friend's session told by an obedient model to fill the host disk, through the whole
 * pipeline (access, agent loop, OpenAI client over HTTP, the Docker sandbox): the workspace
 * limit holds on the host disk, the tools say "workspace full", the owner is told once, and
 * the gateway keeps answering everyone, this session too once it has cleaned up.
 */
describe.skipIf(!hasDocker || sandboxImageMissing())(
  'a sandboxed session that fills its workspace',
  { tags: ['docker', 'sandbox-image'] },
  () => {
    const docker = testDockerClient(0);
    const run = testRunTag('wsfull');
    const tagNumber = parseInt(run.slice(-8), 16);
    const filler = `7${tagNumber}`;
    const bystander = `8${tagNumber}`;
    const owner = '424242';
    const state = scratchDir('security-wsfull');
    const stateDir = join(state.dir, 'state');
    const fillerSession = `dm:telegram:${filler}`;
    let model: ScriptedModelServer;
    let gateway: AgentGateway;

    const ask = async (who: string, text: string): Promise<string> =>
      (await gateway.telegramDm(who, text)).join('\n');
    const fullNotices = (): string[] =>
      gateway.console.map((m) => m.text).filter((text) => text.includes('is full'));

    beforeAll(async () => {
      await ensureSandboxImage(docker);
      model = await startScriptedModelServer(obeyingAttacker());
      gateway = await startAgentGateway({
        stateDir,
        config: {
          owner: { telegram: [owner] },
          telegram: { allowFrom: [filler, bystander] },
          // The filler plays a dozen turns back to back here; the rate limit has tests of its own.
          limits: { sender: { messagesPerMinute: null } },
          agent: {
            model: { provider: 'openai', name: 'attacker', baseUrl: model.baseUrlFor('openai') },
            tools: { timeoutSec: 300 },
            sandbox: { workspace: { maxMiB: LIMIT_MIB } },
          },
        },
        docker,
      });
    }, SANDBOX_IMAGE_BUILD_TIMEOUT_MS);

    afterAll(async () => {
      await gateway?.stop();
      await model?.close();
      await removeRunSandboxes(docker, filler);
      await removeRunSandboxes(docker, bystander);
      state.remove();
    });

    it('holds the limit on the host disk and says "workspace full" to every failing tool', async () => {
      const big = await ask(filler, 'run: head -c 1100M /dev/zero > /workspace/f');
      expect(big).toMatch(
        new RegExp(`workspace full: /workspace has reached its size limit of ${LIMIT_MIB} MiB`),
      );
      expect(big).toMatch(/No space left on device/);
      const written = await ask(filler, 'write: notes.txt hello');
      expect(written).toMatch(/write failed: cannot write notes.txt: workspace full/);
      const appended = await ask(filler, 'run: echo more >> /workspace/f');
      expect(appended).toMatch(/workspace full/);

      const du = execFileSync('du', ['-s', '-B1', workspaceDirFor(stateDir, fillerSession)], {
        encoding: 'utf8',
      });
      expect(Number(du.split('\t')[0])).toBeLessThanOrEqual(LIMIT_MIB * MiB + MiB);
      // The transcript records what the tool said.
      const results = gateway
        .transcript(fillerSession)
        .filter((e) => e.kind === 'tool-result' && e.text.includes('workspace full'));
      expect(results.length).toBeGreaterThanOrEqual(3);
    });

    it('tells the owner once, not once per failing call', () => {
      expect(fullNotices()).toHaveLength(1);
      expect(fullNotices()[0]).toContain(fillerSession);
      expect(fullNotices()[0]).toContain(`${LIMIT_MIB} MiB`);
      expect(fullNotices()[0]).toContain('agent.sandbox.workspace.maxMiB');
    });

    it('keeps answering: another session, the owner, and this session after cleanup', async () => {
      expect(
        await ask(bystander, 'run: echo hello-from-the-bystander > b.txt && cat b.txt'),
      ).toContain('hello-from-the-bystander');
      expect(await ask(owner, 'hello owner here')).toContain('hello owner here');
      expect(await ask(filler, 'run: rm /workspace/f && echo cleaned')).toContain('cleaned');
      expect(await ask(filler, 'write: notes.txt hello again')).toMatch(/wrote \d+ bytes/);
      expect(await ask(filler, 'read: notes.txt')).toContain('hello again');
      expect(fullNotices()).toHaveLength(1);
    });
  },
);
