import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Update } from 'grammy/types';
import { dockerAvailable, testDockerClient } from '../helpers/docker.js';
import {
  ComposeProject,
  composeCommand,
  ensureGatewayImage,
  freePort,
  GATEWAY_IMAGE_BUILD_TIMEOUT_MS,
  REPO_ROOT,
} from '../helpers/compose.js';
import { FakeTelegramApi } from '../fixtures/fake-telegram-api.js';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../fixtures/scripted-model-server.js';
import { waitFor } from '../helpers/wait.js';

/**
 * Option A for real: the gateway image built offline, started with the repository's
 * compose.yaml (only its ports swapped for host networking, so the container reaches the fake
 * Bot API and the scripted model on 127.0.0.1), on the real Docker engine. It must become
 * healthy, answer a friend, give a stranger a pairing code, refuse writes outside /data, run as
 * a non-root user with no capabilities, keep allowlists and transcripts across a restart, stop
 * gracefully, and stop dead on the kill switch pulled from `compose exec`.
 */

const hasDocker = await dockerAvailable();
const compose = hasDocker ? composeCommand() : null;

/**
 * Each step runs compose commands (docker-compose 1.29 takes seconds just to start) and may
 * wait for the next health check: a budget, not a speed claim.
 */
const STEP_TIMEOUT_MS = 300_000;

const OWNER = 111;
const FRIEND = 1001;
const STRANGER = 2002;

describe.skipIf(!hasDocker || !compose)(
  'the gateway in a container (Option A)',
  { tags: ['docker'] },
  () => {
    const docker = testDockerClient(0);
    let api: FakeTelegramApi;
    let model: ScriptedModelServer;
    let project: ComposeProject;
    let webPort: number;

    const message = (from: number, text: string): Omit<Update, 'update_id'> => ({
      message: {
        message_id: api.messageId(),
        date: Math.floor(Date.now() / 1000),
        chat: { id: from, type: 'private', first_name: `User ${from}` },
        from: { id: from, is_bot: false, first_name: `User ${from}` },
        text,
      },
    });

    /** Sends a DM through the Bot API and resolves with the bot's next answer to that chat. */
    const dm = async (from: number, text: string): Promise<string> => {
      const before = api.sentTo(String(from)).length;
      api.pushUpdate(message(from, text));
      await waitFor(`an answer to ${from}`, () => api.sentTo(String(from)).length > before, 90_000);
      return api.sentTo(String(from))[before] as string;
    };

    beforeAll(async () => {
      await ensureGatewayImage(docker);
      api = await FakeTelegramApi.start();
      // Answers with the friend's words, out of the wrapper that marks them untrusted.
      model = await startScriptedModelServer((request) => {
        const last = request.messages.at(-1);
        const text = last?.role === 'user' ? last.text : '?';
        return { text: `echo: ${text.replace(/<\/?untrusted-message[^>]*>/g, '').trim()}` };
      });
      webPort = await freePort();
      project = new ComposeProject(
        compose as string[],
        [
          'services:',
          '  gateway:',
          '    network_mode: host',
          `    command: ["supervise", "--web", "--host", "127.0.0.1", "--port", "${webPort}"]`,
          '    environment:',
          '      CLAWDBOT_CONFIG_PATH: /config/clawdbot.json',
          `      CLAWDBOT_WEB_ORIGINS: http://127.0.0.1:${webPort}`,
          '    volumes:',
          '      - ./clawdbot.json:/config/clawdbot.json:ro',
          '',
        ].join('\n'),
      );
      project.writeForGateway('secrets/telegram_bot_token', `${api.token}\n`);
      project.writeForGateway('secrets/anthropic_api_key', 'sk-ant-scripted-test-key-0123456789\n');
      project.writeForGateway(
        'clawdbot.json',
        JSON.stringify({
          owner: { telegram: [String(OWNER)] },
          telegram: { apiRoot: api.apiRoot, allowFrom: [String(FRIEND)] },
          agent: {
            model: {
              provider: 'anthropic',
              name: 'scripted',
              baseUrl: model.baseUrlFor('anthropic'),
            },
          },
        }),
      );
      await project.ok(['up', '-d'], 300_000);
      await project.waitHealthy(docker);
    }, GATEWAY_IMAGE_BUILD_TIMEOUT_MS);

    afterAll(async () => {
      await project?.remove();
      await api?.close();
      await model?.close();
    }, STEP_TIMEOUT_MS);

    it(
      'has a compose.yaml the installed compose accepts, publishing the UI on loopback only',
      () => {
        const [file, ...pre] = compose as string[];
        const result = spawnSync(
          file as string,
          [
            ...pre,
            '--project-directory',
            project.dir,
            '-f',
            join(REPO_ROOT, 'compose.yaml'),
            'config',
          ],
          { encoding: 'utf8', cwd: project.dir },
        );
        expect(result.status, result.stderr).toBe(0);
        // v2 prints `host_ip: 127.0.0.1`, 1.29 `127.0.0.1:18790:18790/tcp`.
        expect(result.stdout).toMatch(/127\.0\.0\.1/);
        expect(result.stdout).not.toMatch(/0\.0\.0\.0/);
        expect(result.stdout).toMatch(/read_only: true/);
        expect(result.stdout).toMatch(/no-new-privileges:true/);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'is healthy and answers a friend through the Bot API',
      async () => {
        expect(await dm(FRIEND, 'hello from a friend')).toBe('echo: hello from a friend');
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'gives a stranger a pairing code, and nothing of the model',
      async () => {
        const calls = model.requests.length;
        const reply = await dm(STRANGER, 'let me in');
        expect(reply).toMatch(/Your pairing code: [A-Z2-9]{8}/);
        expect(model.requests.length).toBe(calls);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'can write only in /data: / and /app are read-only',
      async () => {
        for (const path of ['/probe', '/app/probe', '/usr/local/bin/probe']) {
          const result = await project.exec(['sh', '-c', `echo x > ${path}`]);
          expect(result.code, path).not.toBe(0);
          expect(result.stderr).toMatch(/Read-only file system/);
        }
        expect(
          (await project.exec(['sh', '-c', 'echo x > /data/probe && rm /data/probe'])).code,
        ).toBe(0);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'runs as a non-root user with no capabilities and no way to gain any',
      async () => {
        // PID 1 is tini; the supervisor and the gateway are its children, with the same credentials.
        const status = await project.ok(['exec', '-T', 'gateway', 'cat', '/proc/1/status']);
        expect(status).toMatch(/^Uid:\s+10001\s+10001\s+10001\s+10001$/m);
        expect(status).toMatch(/^CapEff:\s+0{16}$/m);
        expect(status).toMatch(/^CapBnd:\s+0{16}$/m);
        expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
        const state = await project.ok(['exec', '-T', 'gateway', 'stat', '-c', '%a %u', '/data']);
        expect(state.trim()).toBe('700 10001');
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'audits its own container from the inside: hardened, nothing high',
      async () => {
        const result = await project.exec(['clawdbot', 'security', 'audit', '--json']);
        const { findings } = JSON.parse(result.stdout) as {
          findings: { id: string; severity: string }[];
        };
        const ids = findings.map((f) => f.id);
        expect(ids).toContain('container.inside');
        expect(
          ids.filter((id) => id.startsWith('container.') && id !== 'container.inside'),
        ).toEqual([]);
        expect(ids).not.toContain('web.bind-public');
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'writes its log as JSON lines to stdout, for docker logs',
      async () => {
        const logs = await project.ok(['logs', '--no-color', 'gateway']);
        const lines = logs
          .split('\n')
          .map((line) => line.replace(/^[^|]*\|\s?/, '').trim())
          .filter((line) => line.startsWith('{'));
        const records = lines.map((line) => JSON.parse(line) as { process?: string; msg?: string });
        expect(
          records.some((r) => r.process === 'supervisor' && r.msg === 'supervisor started'),
        ).toBe(true);
        expect(records.some((r) => r.process === 'gateway')).toBe(true);
        // The bot token never reaches the log.
        expect(logs).not.toContain(api.token);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'keeps allowlists and transcripts across a restart',
      async () => {
        const code = /Your pairing code: ([A-Z2-9]{8})/.exec(
          api.sentTo(String(STRANGER))[0] ?? '',
        )?.[1];
        expect(code).toBeDefined();
        await project.ok([
          'exec',
          '-T',
          'gateway',
          'clawdbot',
          'pairing',
          'approve',
          '--provider',
          'telegram',
          code as string,
        ]);

        await project.ok(['restart', 'gateway'], 120_000);
        await project.waitHealthy(docker);

        const allowlist = await project.ok([
          'exec',
          '-T',
          'gateway',
          'clawdbot',
          'allowlist',
          'list',
          '--provider',
          'telegram',
          '--json',
        ]);
        expect(allowlist).toContain(String(STRANGER));
        const transcript = await project.ok([
          'exec',
          '-T',
          'gateway',
          'clawdbot',
          'sessions',
          'show',
          `dm:telegram:${FRIEND}`,
          '--json',
        ]);
        expect(transcript).toContain('hello from a friend');
        // The approved stranger is a friend now, after the restart.
        expect(await dm(STRANGER, 'thanks')).toBe('echo: thanks');
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'stops gracefully on docker compose stop, well within the health interval',
      async () => {
        const id = await project.containerId();
        await project.ok(['stop', 'gateway'], 60_000);
        const info = await docker.getContainer(id).inspect();
        // 137 would mean Docker had to SIGKILL it after the grace period.
        expect(info.State.ExitCode).toBe(0);
        await project.ok(['start', 'gateway'], 60_000);
        await project.waitHealthy(docker);
      },
      STEP_TIMEOUT_MS,
    );

    it(
      'stops dead on the kill switch pulled with compose exec, and stays down',
      async () => {
        const kill = await project.exec([
          'clawdbot',
          'kill',
          '--reason',
          'container test',
          '--json',
        ]);
        const report = JSON.parse(kill.stdout.trim().split('\n').at(-1) as string) as {
          gateway: { found: boolean; killedPids: number[]; error: string | null };
        };
        expect(report.gateway.found).toBe(true);
        expect(report.gateway.killedPids.length).toBeGreaterThan(0);
        expect(report.gateway.error).toBeNull();

        const status = JSON.parse(
          await project.ok(['exec', '-T', 'gateway', 'clawdbot', 'status', '--json']),
        ) as {
          gateway: { state: string };
          killSwitch: { engaged: boolean };
        };
        expect(status.killSwitch.engaged).toBe(true);
        expect(status.gateway.state).toBe('stopped');
        const health = await project.exec(['clawdbot', 'gateway', 'health']);
        expect(health.code).toBe(1);
        expect(health.stderr).toMatch(/unhealthy: the kill switch is engaged/);
      },
      STEP_TIMEOUT_MS,
    );
  },
);
