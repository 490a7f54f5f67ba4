import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../fixtures/scripted-model-server.js';
import { startAgentGateway } from '../helpers/agent-gateway.js';
import { dockerAvailable, testDockerClient } from '../helpers/docker.js';
import {
  SANDBOX_IMAGE_BUILD_TIMEOUT_MS,
  ensureSandboxImage,
  sandboxImageMissing,
} from '../helpers/sandbox-image.js';
import {
  removeRunSandboxes,
  scratchDir,
  stoppableDockerProxy,
  testRunTag,
} from '../sandbox/sandbox-test-kit.js';

const hasDocker = await dockerAvailable();

describe.skipIf(!hasDocker || sandboxImageMissing())(
  'Docker stopping in the middle of a sandboxed session',
  { tags: ['docker', 'sandbox-image'] },
  () => {
    const docker = testDockerClient(0);
    const run = testRunTag('outage');
    const friend = `8${parseInt(run.slice(-8), 16)}`;
    const state = scratchDir('security-outage');
    let model: ScriptedModelServer;

    beforeAll(async () => {
      await ensureSandboxImage(docker);
      model = await startScriptedModelServer(obeyingAttacker());
    }, SANDBOX_IMAGE_BUILD_TIMEOUT_MS);
    afterAll(async () => {
      await model?.close();
      await removeRunSandboxes(docker, friend);
      state.remove();
    });

    it('fails closed: the friend and the owner are told, and nothing runs on the host', async () => {
      const proxy = await stoppableDockerProxy(state.dir);
      const gateway = await startAgentGateway({
        stateDir: join(state.dir, 'state'),
        config: {
          telegram: { allowFrom: [friend] },
          agent: {
            model: {
              provider: 'anthropic',
              name: 'attacker',
              baseUrl: model.baseUrlFor('anthropic'),
            },
          },
        },
        env: { PATH: process.env['PATH'], ANTHROPIC_API_KEY: 'test-key' },
        docker: proxy.docker,
      });
      const hostMarker = join(state.dir, `ran-on-host-${randomBytes(4).toString('hex')}`);
      try {
        const warm = await gateway.telegramDm(friend, 'run: echo sandbox-is-warm');
        expect(warm.join('\n')).toContain('sandbox-is-warm');

        await proxy.stop();
        const replies = await gateway.telegramDm(friend, `run: touch ${hostMarker}; echo ran`);
        expect(replies).toHaveLength(1);
        expect(replies[0]).toMatch(/could not run that: .*Docker/i);
        expect(replies[0]).toContain('Nothing was run anywhere else');
        expect(replies[0]).not.toContain('ran\n');
        expect(existsSync(hostMarker)).toBe(false);
        // The owner hears of it in the console.
        expect(gateway.console.map((m) => m.text).join('\n')).toMatch(
          new RegExp(`dm:telegram:${friend}.*sandbox is unavailable.*Nothing ran on the host`),
        );
        const errors = gateway
          .transcript(`dm:telegram:${friend}`)
          .filter((e) => e.kind === 'error');
        expect(errors.at(-1)?.actor).toBe('sandbox');
      } finally {
        await proxy.stop();
        await gateway.stop();
      }
    });
  },
);
