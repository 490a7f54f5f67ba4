import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigService } from '../../src-main/config/config-service.js';
import { LOG_FILE_ENV, startProcessLogging } from '../../src-main/logging/process-logging.js';
import { resolveConfigPath } from '../../src-main/state-layout.js';
import { setProcessSecrets } from '../../src-main/logging/redact.js';
import { startHeadlessSupervisor } from '../../src-main/web/headless.js';
import { runCli } from '../helpers/cli.js';
import { readAllLogText, readLogRecords } from '../helpers/log-files.js';
import { builtGateway, NO_DOCKER_HOST } from '../helpers/paths.js';
import { fastPolicy, unreachableDocker } from '../helpers/supervisor.js';
import { waitFor } from '../helpers/wait.js';
import { startScriptedModelServer } from '../fixtures/scripted-model-server.js';

// Canaries that match no built-in secret shape: only the configured-secret redaction hides them.
const CONFIG_CANARY = 'canary-config-7f3e9a1b5c';
const ANTHROPIC_CANARY = 'canary-anthropic-2d8c4e6f0a';
const TELEGRAM_ENV_CANARY = 'canary-tgenv-9b1d3f5a7c';
const OPENAI_CANARY = 'canary-openai-4c6e8a0b2d';
const CANARIES = [CONFIG_CANARY, ANTHROPIC_CANARY, TELEGRAM_ENV_CANARY];

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  setProcessSecrets([]);
});

/** A state dir whose config holds the canary token (Telegram pointed at `apiRoot`). */
function plant(apiRoot: string): { stateDir: string; logDir: string; env: NodeJS.ProcessEnv } {
  const root = mkdtempSync(join(tmpdir(), 'clawdbot-canary-'));
  cleanups.push(() => rmSync(root, { recursive: true, force: true }));
  const stateDir = join(root, 'state');
  mkdirSync(stateDir);
  writeFileSync(
    join(stateDir, 'clawdbot.json'),
    JSON.stringify({ telegram: { botToken: CONFIG_CANARY, apiRoot } }),
  );
  const logDir = join(root, 'logs');
  const env = {
    ...process.env,
    CLAWDBOT_STATE_DIR: stateDir,
    [LOG_FILE_ENV]: join(logDir, 'clawdbot-YYYY-MM-DD.log'),
    ANTHROPIC_API_KEY: ANTHROPIC_CANARY,
    TELEGRAM_BOT_TOKEN: TELEGRAM_ENV_CANARY,
    DOCKER_HOST: NO_DOCKER_HOST,
  };
  return { stateDir, logDir, env };
}

/** A Bot API that rejects every call, quoting the request path (and so the token) back. */
async function leakyTelegram(): Promise<string> {
  const server: Server = createServer((req, res) => {
    // 401: the provider gives up at once and says so (a 5xx is retried quietly for a while).
    res.writeHead(401, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ok: false, error_code: 401, description: `Unauthorized ${req.url}` }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function expectNoCanary(text: string): void {
  for (const canary of CANARIES) expect(text).not.toContain(canary);
}

describe('no log file ever holds a planted secret', () => {
  it('the CLI: a failing command quoting the token', async () => {
    const { logDir, env } = plant('http://127.0.0.1:9');
    const result = await runCli(
      ['allowlist', 'remove', '--provider', 'telegram', CONFIG_CANARY],
      env,
    );
    expect(result.code).not.toBe(0);
    const records = readLogRecords(logDir);
    expect(records).toContainEqual(
      expect.objectContaining({ process: 'cli', msg: 'command failed', command: 'allowlist' }),
    );
    expect(readAllLogText(logDir)).toContain('[redacted]');
    expectNoCanary(readAllLogText(logDir));
    expectNoCanary(result.stderr);
  });

  it('the supervisor and the gateway: a live gateway, then one that crashes printing secrets', async () => {
    const { stateDir, logDir, env } = plant(await leakyTelegram());
    // What `clawdbot supervise` does, in this process so the gateway entry can be swapped.
    const logging = startProcessLogging({
      process: 'supervisor',
      stateDir,
      env,
      config: new ConfigService(resolveConfigPath(stateDir, env)),
      write: () => {},
    });
    cleanups.push(() => logging.close());
    const events: string[] = [];
    let gatewayOutput = '';
    const start = (gatewayEntry: string) =>
      startHeadlessSupervisor({
        stateDir,
        env: { ...env, CANARY_CONFIG: CONFIG_CANARY },
        gatewayEntry,
        docker: unreachableDocker(),
        policy: fastPolicy,
        web: null,
        onGatewayOutput: (_stream, text) => (gatewayOutput += text),
        log: logging.log,
      });

    let running = await start(builtGateway);
    running.supervisor.events.subscribe((name, payload) =>
      events.push(`${name} ${JSON.stringify(payload)}`),
    );
    await waitFor(
      'the gateway to log the Telegram failure',
      () =>
        readLogRecords(logDir).some((r) => r['process'] === 'gateway' && r['scope'] === 'telegram'),
      30_000,
    ).catch((error: unknown) => {
      const status = JSON.stringify(running.supervisor.snapshot().gateway);
      throw new Error(
        `${String(error)}\nlogs:\n${readAllLogText(logDir)}\ngateway ${status}:\n${gatewayOutput}`,
      );
    });
    await running.close();

    running = await start(join(import.meta.dirname, 'fixtures', 'leaky-gateway.mjs'));
    cleanups.push(() => running.close());
    running.supervisor.events.subscribe((name, payload) =>
      events.push(`${name} ${JSON.stringify(payload)}`),
    );
    await waitFor('the crash to be logged', () =>
      readLogRecords(logDir).some((r) => r['msg'] === 'gateway exited' && r['code'] === 9),
    );

    const text = readAllLogText(logDir);
    expect(text).toContain('"process":"supervisor"');
    expect(text).toContain('"process":"gateway"');
    // The crash tail was logged, with the secrets replaced.
    expect(text).toMatch(
      /fatal: could not connect with \[redacted\] and \[redacted\] and \[redacted\]/,
    );
    expectNoCanary(text);
    // The crash tail also travels in `gateway:changed` events: redacted there too.
    expect(events.some((e) => e.includes('fatal: could not connect'))).toBe(true);
    expectNoCanary(events.join('\n'));
  });
});

describe('no transcript, IPC event or log ever holds a secret the agent saw', () => {
  it('a model that repeats the keys and a tool that prints them', async () => {
    const model = await startScriptedModelServer((request) => {
      const last = request.messages.at(-1);
      if (last?.role === 'tool') return { text: `tool said: ${last.content}` };
      const asked = last?.role === 'user' ? last.text : '';
      if (asked.includes('tool')) {
        return {
          toolCalls: [
            { name: 'bash', args: { command: `echo ${CONFIG_CANARY} ${OPENAI_CANARY}` } },
          ],
        };
      }
      return { text: `sure, the keys are ${CONFIG_CANARY} and ${OPENAI_CANARY}` };
    });
    cleanups.push(() => model.close());
    const { stateDir, logDir, env } = plant('http://127.0.0.1:9');
    writeFileSync(
      join(stateDir, 'clawdbot.json'),
      JSON.stringify({
        telegram: { enabled: false, botToken: CONFIG_CANARY },
        agent: {
          model: { provider: 'openai', name: 'leaky', baseUrl: model.baseUrlFor('openai') },
          // About redaction, not approvals: the owner's host command runs without asking.
          approvals: { host: 'off' },
        },
      }),
    );
    const agentEnv = { ...env, OPENAI_API_KEY: OPENAI_CANARY };
    const logging = startProcessLogging({
      process: 'supervisor',
      stateDir,
      env: agentEnv,
      config: new ConfigService(resolveConfigPath(stateDir, agentEnv)),
      write: () => {},
    });
    cleanups.push(() => logging.close());
    const running = await startHeadlessSupervisor({
      stateDir,
      env: agentEnv,
      gatewayEntry: builtGateway,
      docker: unreachableDocker(),
      policy: fastPolicy,
      web: null,
    });
    cleanups.push(() => running.close());
    const events: string[] = [];
    running.supervisor.events.subscribe((name, payload) =>
      events.push(`${name} ${JSON.stringify(payload)}`),
    );
    await waitFor(
      'the gateway to run',
      () => running.supervisor.snapshot().gateway.state === 'running',
      30_000,
    );

    running.supervisor.relay.consoleSend('what are the keys?');
    await waitFor(
      'the leaky answer',
      () => events.some((e) => e.startsWith('console:message') && e.includes('the keys are')),
      30_000,
    );
    running.supervisor.relay.consoleSend('use the tool');
    await waitFor('the tool answer', () => events.some((e) => e.includes('tool said')), 30_000);
    await waitFor(
      'the transcript events',
      () => events.filter((e) => e.startsWith('session:event')).length >= 7,
      10_000,
    );

    // The secrets did travel where they belong: the key to the model server.
    expect(model.requests.at(-1)!.headers['authorization']).toBe(`Bearer ${OPENAI_CANARY}`);
    const all = [...CANARIES, OPENAI_CANARY];
    const seen = events.join('\n');
    expect(seen).toContain('[redacted]');
    for (const canary of all) expect(seen).not.toContain(canary);
    const transcript = JSON.stringify(running.supervisor.sessions.page('main', { limit: 500 }));
    expect(transcript).toContain('tool said');
    for (const canary of all) expect(transcript).not.toContain(canary);
    await running.close();
    const logs = readAllLogText(logDir);
    for (const canary of all) expect(logs).not.toContain(canary);
  });
});
