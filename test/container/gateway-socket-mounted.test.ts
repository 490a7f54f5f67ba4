import { statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANDBOX_LABEL } from '../../src-main/docker/sandbox-labels.js';
import { WORKSPACE_VOLUME_LABEL } from '../../src-main/sandbox/workspace-image.js';
import { dockerAvailable, testDockerClient } from '../helpers/docker.js';
import {
  ComposeProject,
  composeCommand,
  ensureGatewayImage,
  freePort,
  GATEWAY_IMAGE_BUILD_TIMEOUT_MS,
} from '../helpers/compose.js';
import { ensureSandboxImage } from '../helpers/sandbox-image.js';
import { FakeTelegramApi } from '../fixtures/fake-telegram-api.js';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../fixtures/scripted-model-server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * The owner mounts the engine's socket into the gateway container anyway (compose.yaml warns
 * against it). The audit must say so, high; and a friend's sandbox must still work, with its
 * workspace in an engine-side volume: the gateway's /data paths do not exist on the engine's
 * host (the reference mounted its own container-internal paths as workspaces here).
 */

const hasDocker = await dockerAvailable();
const compose = hasDocker ? composeCommand() : null;

/** Compose commands and a first sandbox start take seconds each: a budget, not a speed claim. */
const STEP_TIMEOUT_MS = 300_000;

const FRIEND = 1001;
const SESSION = `dm:telegram:${FRIEND}`;

/** The socket of the engine the tests use, which the gateway container is given. */
function engineSocket(): string {
  const host = process.env['DOCKER_HOST'];
  return host?.startsWith('unix://') ? host.slice('unix://'.length) : '/var/run/docker.sock';
}

describe.skipIf(!hasDocker || !compose)(
  'the gateway container with the Docker socket mounted',
  { tags: ['docker'] },
  () => {
    const docker = testDockerClient(0);
    let api: FakeTelegramApi;
    let model: ScriptedModelServer;
    let project: ComposeProject;

    const cleanup = async (): Promise<void> => {
      const containers = await docker.listContainers({
        all: true,
        filters: { label: [`${SANDBOX_LABEL}=1`, `clawdbot.sessionKey=${SESSION}`] },
      });
      for (const c of containers) await docker.getContainer(c.Id).remove({ force: true, v: true });
      const { Volumes } = await docker.listVolumes({
        filters: { label: [WORKSPACE_VOLUME_LABEL] },
      });
      for (const v of Volumes ?? []) {
        if (v.Name.startsWith('clawdbot-ws-dm-telegram-1001-')) {
          await docker
            .getVolume(v.Name)
            .remove()
            .catch(() => undefined);
        }
      }
    };

    beforeAll(async () => {
      await ensureSandboxImage(docker);
      await ensureGatewayImage(docker);
      await cleanup();
      api = await FakeTelegramApi.start();
      // The friend's first turn runs a command in its sandbox; the answer quotes what it printed.
      model = await startScriptedModelServer((request) => {
        const last = request.messages.at(-1);
        if (last?.role === 'tool') return { text: `sandbox said: ${last.content}` };
        return {
          toolCalls: [
            {
              name: 'bash',
              args: { command: 'echo made-in-sandbox > note.txt && cat note.txt && pwd' },
            },
          ],
        };
      });
      const socket = engineSocket();
      project = new ComposeProject(
        compose as string[],
        [
          'services:',
          '  gateway:',
          '    network_mode: host',
          `    command: ["supervise", "--web", "--host", "127.0.0.1", "--port", "${await freePort()}"]`,
          '    environment:',
          '      CLAWDBOT_CONFIG_PATH: /config/clawdbot.json',
          // The socket's group, so the gateway's user may use it (as an owner would have to).
          `    group_add: ["${statSync(socket).gid}"]`,
          '    volumes:',
          '      - ./clawdbot.json:/config/clawdbot.json:ro',
          `      - ${socket}:/var/run/docker.sock`,
          '',
        ].join('\n'),
      );
      project.writeForGateway('secrets/telegram_bot_token', api.token);
      project.writeForGateway('secrets/anthropic_api_key', 'sk-ant-scripted-test-key-0123456789');
      project.writeForGateway(
        'clawdbot.json',
        JSON.stringify({
          telegram: { apiRoot: api.apiRoot, allowFrom: [String(FRIEND)] },
          agent: {
            model: {
              provider: 'anthropic',
              name: 'scripted',
              baseUrl: model.baseUrlFor('anthropic'),
            },
            sandbox: { mode: 'non-main' },
          },
        }),
      );
      await project.ok(['up', '-d'], 300_000);
      await project.waitHealthy(docker);
    }, GATEWAY_IMAGE_BUILD_TIMEOUT_MS);

    afterAll(async () => {
      await project?.remove();
      await cleanup().catch(() => undefined);
      await api?.close();
      await model?.close();
    }, STEP_TIMEOUT_MS);

    it(
      'is reported as high by the audit run inside the container',
      async () => {
        const result = await project.exec(['clawdbot', 'security', 'audit', '--json']);
        expect(result.code).toBe(1);
        const { findings } = JSON.parse(result.stdout) as {
          findings: { id: string; severity: string; path?: string }[];
        };
        const socket = findings.find((f) => f.id === 'container.engine-socket');
        expect(socket?.severity).toBe('high');
        // /var/run is a link to /run in Debian: the kernel names the mount point by the latter.
        expect(socket?.path).toMatch(/^(\/var)?\/run\/docker\.sock$/);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      "runs a friend's tool in a sandbox whose workspace is an engine-side volume",
      async () => {
        api.pushUpdate({
          message: {
            message_id: api.messageId(),
            date: Math.floor(Date.now() / 1000),
            chat: { id: FRIEND, type: 'private', first_name: 'Friend' },
            from: { id: FRIEND, is_bot: false, first_name: 'Friend' },
            text: 'write me a note',
          },
        });
        const answer = await waitFor(
          'the friend’s answer',
          () => api.sentTo(String(FRIEND))[0],
          180_000,
        );
        expect(answer).toContain('made-in-sandbox');
        expect(answer).toContain('/workspace');

        const [sandbox] = await docker.listContainers({
          all: true,
          filters: { label: [`${SANDBOX_LABEL}=1`, `clawdbot.sessionKey=${SESSION}`] },
        });
        expect(sandbox).toBeDefined();
        // Nothing the engine mounts is a path of the gateway's container.
        const info = await docker.getContainer(sandbox?.Id as string).inspect();
        for (const mount of info.Mounts) expect(mount.Source ?? '').not.toMatch(/^\/data\//);
        const { Volumes } = await docker.listVolumes({
          filters: { label: [WORKSPACE_VOLUME_LABEL] },
        });
        expect((Volumes ?? []).map((v) => v.Name)).toContainEqual(
          expect.stringMatching(/^clawdbot-ws-dm-telegram-1001-[0-9a-f]{8}$/),
        );
      },
      STEP_TIMEOUT_MS,
    );
  },
);
