/**
 * Container benchmark: `npm run bench:container` (or `npx tsx bench/container.ts`). Needs Docker
 * (`DOCKER_HOST`), `docker compose` or `docker-compose`, root and debootstrap (the gateway image
 * is built offline when missing, as the tests build it).
 *
 * Option A against the same gateway on the host, in the same run:
 *
 * - Start to healthy: `compose up -d` of the repository's compose.yaml (host networking instead
 *   of its published port, as in the tests) until Docker reports the container healthy, and
 *   until the gateway first polls the Bot API (ready to receive). A fresh volume each run. The
 *   health figure is bounded below by the healthcheck's interval (10 s): Docker runs the first
 *   check one interval after the start.
 * - Stop: `compose stop` until the container has exited (SIGTERM; graceful within the health
 *   interval, or Docker kills it after `stop_grace_period`).
 * - Inbound rate: BENCH_MESSAGES DMs (default 300) from 100 allowed friends, pushed at once into
 *   a fake Bot API (a real HTTP server on 127.0.0.1), until every one has its reply (from the
 *   scripted model server, which answers at once, through the durable outbox). Through the
 *   container vs `clawdbot supervise` on the host with the same config, each against a Bot API
 *   of its own, runs interleaved (container, host, container, …) after a discarded warm-up each.
 *
 * BENCH_RUNS timed runs of each (default 5, at least 3). The results replace this bench's section
 * of bench/RESULTS.md; BENCH_NO_WRITE=1 prints only.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import { dockerSocketOptions } from '../src-main/docker/docker-client.js';
import { FakeTelegramApi } from '../test/fixtures/fake-telegram-api.js';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../test/fixtures/scripted-model-server.js';
import {
  ComposeProject,
  composeCommand,
  ensureGatewayImage,
  freePort,
  REPO_ROOT,
} from '../test/helpers/compose.js';
import { envNumber } from './lib/env.js';
import { formatCount } from './lib/format.js';
import { describeMachine, RunRecord } from './lib/machine.js';
import { tableHead, tableRow } from './lib/markdown-table.js';
import { publishSection, sectionHeading } from './lib/results-file.js';
import { median } from './lib/stats.js';

const RUNS = envNumber('BENCH_RUNS', 5, 3);
const MESSAGES = envNumber('BENCH_MESSAGES', 300, 50);
const FRIENDS = 100;
const friendIds = Array.from({ length: FRIENDS }, (_, i) => 5000 + i);

/**
 * The gateway's config for both sides: many friends, limits out of the way, and the scripted
 * model (a real HTTP server on 127.0.0.1 answering at once), so every message gets one reply.
 */
function configFor(api: FakeTelegramApi, model: ScriptedModelServer): string {
  return JSON.stringify({
    telegram: { apiRoot: api.apiRoot, allowFrom: friendIds.map(String) },
    agent: {
      model: { provider: 'anthropic', name: 'scripted', baseUrl: model.baseUrlFor('anthropic') },
    },
    limits: {
      maxQueuedPerSession: 1000,
      sender: { messagesPerMinute: null, burst: 1000, dailyTokens: null },
    },
  });
}

const MODEL_KEY = 'sk-ant-scripted-bench-key-0123456789';

function loadavgLine(): string {
  return readFileSync('/proc/loadavg', 'utf8').trim();
}

/** Pushes MESSAGES DMs at once and resolves with the ms until every one was answered. */
async function inboundRun(api: FakeTelegramApi): Promise<number> {
  const before = api.sent.length;
  const started = performance.now();
  api.pushUpdates(
    Array.from({ length: MESSAGES }, (_, i) => {
      const from = friendIds[i % FRIENDS] as number;
      return {
        message: {
          message_id: api.messageId(),
          date: Math.floor(Date.now() / 1000),
          chat: { id: from, type: 'private' as const, first_name: 'F' },
          from: { id: from, is_bot: false, first_name: 'F' },
          text: `message ${i}`,
        },
      };
    }),
  );
  await until(() => api.sent.length >= before + MESSAGES, 300_000, 'every reply');
  return performance.now() - started;
}

async function until(probe: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The first getUpdates call at or after `since` (ms since the epoch), or null. */
function firstPoll(api: FakeTelegramApi, since: number): number | null {
  return api.calls.find((c) => c.method === 'getUpdates' && c.at >= since)?.at ?? null;
}

/** A compose project running the image against `api`, with host networking. */
function containerProject(
  compose: string[],
  api: FakeTelegramApi,
  model: ScriptedModelServer,
  webPort: number,
): ComposeProject {
  const project = new ComposeProject(
    compose,
    [
      'services:',
      '  gateway:',
      '    network_mode: host',
      `    command: ["supervise", "--web", "--host", "127.0.0.1", "--port", "${webPort}"]`,
      '    environment:',
      '      CLAWDBOT_CONFIG_PATH: /config/clawdbot.json',
      '    volumes:',
      '      - ./clawdbot.json:/config/clawdbot.json:ro',
      '',
    ].join('\n'),
  );
  project.writeForGateway('secrets/telegram_bot_token', api.token);
  project.writeForGateway('secrets/anthropic_api_key', MODEL_KEY);
  project.writeForGateway('clawdbot.json', configFor(api, model));
  return project;
}

/** `clawdbot supervise` on the host with the same config, its own state dir and Bot API. */
function startHostGateway(
  api: FakeTelegramApi,
  model: ScriptedModelServer,
  dir: string,
): ChildProcess {
  const stateDir = join(dir, 'state');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  writeFileSync(join(stateDir, 'clawdbot.json'), configFor(api, model));
  return spawn(process.execPath, [join(REPO_ROOT, 'bin', 'clawdbot.js'), 'supervise'], {
    env: {
      ...process.env,
      CLAWDBOT_STATE_DIR: stateDir,
      CLAWDBOT_CONFIG_PATH: '',
      CLAWDBOT_LOG_FILE: join(dir, 'log-YYYY-MM-DD.log'),
      TELEGRAM_BOT_TOKEN: api.token,
      ANTHROPIC_API_KEY: MODEL_KEY,
    },
    stdio: 'ignore',
  });
}

async function main(): Promise<void> {
  const compose = composeCommand();
  if (!compose) throw new Error('neither `docker compose` nor `docker-compose` is installed');
  const docker = new Docker({ ...dockerSocketOptions(), timeout: 0 });
  const run = new RunRecord(describeMachine());
  const loadStart = loadavgLine();
  console.log(`${run.describe()}; /proc/loadavg: ${loadStart}`);
  console.log('building (or reusing) the gateway image…');
  const image = await ensureGatewayImage(docker);

  const containerApi = await FakeTelegramApi.start({
    token: '111111111:AAcontainerBenchTokenForTests_0123',
  });
  const hostApi = await FakeTelegramApi.start({
    token: '222222222:AAhostBenchTokenForTestsOnly_01234',
  });
  const model = await startScriptedModelServer(() => ({ text: 'ok' }));
  const hostDir = mkdtempSync(join(tmpdir(), 'clawdbot-bench-host-'));
  let project: ComposeProject | null = null;
  let host: ChildProcess | null = null;
  try {
    // Start to healthy: a fresh project (and volume) each run.
    const healthy: number[] = [];
    const polling: number[] = [];
    const stops: number[] = [];
    for (let i = 0; i <= RUNS; i += 1) {
      project = containerProject(compose, containerApi, model, await freePort());
      const startedAt = Date.now();
      const started = performance.now();
      await project.ok(['up', '-d'], 300_000);
      await until(() => firstPoll(containerApi, startedAt) !== null, 300_000, 'the first poll');
      const polled = (firstPoll(containerApi, startedAt) as number) - startedAt;
      await project.waitHealthy(docker);
      const toHealthy = performance.now() - started;
      if (i > 0) {
        healthy.push(toHealthy);
        polling.push(polled);
      }
      console.log(
        `start ${i === 0 ? '(warm-up)' : i}: healthy ${Math.round(toHealthy)} ms, polling ${polled} ms`,
      );
      if (i < RUNS) {
        const stopping = performance.now();
        await project.ok(['stop', 'gateway'], 120_000);
        if (i > 0) stops.push(performance.now() - stopping);
        await project.remove();
        project = null;
      }
    }

    // Inbound: the last container stays up; the host gateway beside it.
    host = startHostGateway(hostApi, model, hostDir);
    await until(() => firstPoll(hostApi, 0) !== null, 120_000, 'the host gateway to poll');
    const inContainer: number[] = [];
    const onHost: number[] = [];
    for (let i = 0; i <= RUNS; i += 1) {
      const c = await inboundRun(containerApi);
      const h = await inboundRun(hostApi);
      if (i > 0) {
        inContainer.push(c);
        onHost.push(h);
      }
      console.log(
        `inbound ${i === 0 ? '(warm-up)' : i}: container ${Math.round(c)} ms, host ${Math.round(h)} ms`,
      );
    }

    const rate = (ms: number): number => MESSAGES / (ms / 1000);
    const containerRate = median(inContainer.map(rate));
    const hostRate = median(onHost.map(rate));
    const info = run.finish();
    const body = [
      ...sectionHeading('container', info),
      `(\`/proc/loadavg\` at the start: ${loadStart}; at the end: ${loadavgLine()}). The machine is shared with other work: the load, not the code, can explain a slow run.`,
      '',
      `Image \`${image}\`, built offline. Medians of ${RUNS} runs after one discarded warm-up; same run, same machine.`,
      '',
      '### Start to healthy (compose up -d, fresh volume)',
      '',
      ...tableHead(['measure', 'left'], ['median', 'right']),
      tableRow(
        'compose up → first Bot API poll (gateway ready to receive)',
        `${(median(polling) / 1000).toFixed(1)} s`,
      ),
      tableRow(
        'compose up → Docker reports healthy (its first check comes one 10 s interval after start)',
        `${(median(healthy) / 1000).toFixed(1)} s`,
      ),
      tableRow(
        'compose stop → stopped (graceful: SIGTERM, the gateway gets 3 s; the health interval is 10 s)',
        `${(median(stops) / 1000).toFixed(1)} s`,
      ),
      '',
      `### Inbound rate: ${MESSAGES} DMs from ${FRIENDS} friends, pushed at once, until every reply is sent`,
      '',
      ...tableHead(['gateway', 'left'], ['median messages/s', 'right'], ['ratio', 'right']),
      tableRow('on the host (`clawdbot supervise`, baseline)', formatCount(hostRate), '1.00'),
      tableRow(
        'in the container (Option A, host networking)',
        formatCount(containerRate),
        (containerRate / hostRate).toFixed(2),
      ),
    ].join('\n');
    publishSection('container', body);
  } finally {
    host?.kill('SIGTERM');
    await project?.remove();
    await containerApi.close();
    await hostApi.close();
    await model.close();
    rmSync(hostDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
