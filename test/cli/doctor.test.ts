import BetterSqlite3 from 'better-sqlite3';
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Locator } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  doctorProblems,
  type DoctorCheck,
  type DoctorReport,
} from '../../src-shared/domain/doctor.js';
import { checkNodeVersion } from '../../src-main/doctor/checks/node-version.js';
import type { DoctorFacts } from '../../src-main/doctor/doctor-context.js';
import { migrations, runMigrations } from '../../src-main/store/migrations.js';
import { FakeTelegramApi } from '../fixtures/fake-telegram-api.js';
import {
  startScriptedModelServer,
  type ScriptedModelServer,
  type ScriptedReply,
} from '../fixtures/scripted-model-server.js';
import { UI_TIMEOUT_MS, chromiumMissing, requireBrowser } from '../helpers/browser.js';
import { runCli } from '../helpers/cli.js';
import { dockerAvailable, testDockerClient } from '../helpers/docker.js';
import { runningAsRoot, unprivilegedHome, unprivilegedWrapper } from '../helpers/other-user.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { SANDBOX_IMAGE_BUILD_TIMEOUT_MS, sandboxImageMissing } from '../helpers/sandbox-image.js';
import { openWebUi } from '../helpers/web-ui.js';

/**
 * `clawdbot doctor --json` against a healthy set-up and against each thing a newcomer gets
 * wrong, with the real CLI, a real SQLite file, the real Docker engine, and the fake Telegram
 * Bot API and scripted model server standing in for what lives on the internet.
 */

const hasDocker = await dockerAvailable();

/** Every check, in the order the report lists them. */
const CHECK_IDS = [
  'node.version',
  'native.node',
  'native.electron',
  'docker.engine',
  'sandbox.image',
  'docker.runtimes',
  'browser.chromium',
  'state.dir',
  'config',
  'logging',
  'telegram',
  'whatsapp',
  'model',
  'limits',
  'store.migrations',
];

const MODEL_KEY_ENV = 'CLAWDBOT_DOCTOR_TEST_KEY';
const MODEL_KEY = 'sk-doctor-test-0123456789';

interface SetUp {
  root: string;
  stateDir: string;
  configPath: string;
  env: NodeJS.ProcessEnv;
}

let telegram: FakeTelegramApi;
let model: ScriptedModelServer;
let modelReply: ScriptedReply = { text: 'pong' };
const roots: string[] = [];

beforeAll(async () => {
  telegram = await FakeTelegramApi.start({ username: 'doctor_test_bot' });
  model = await startScriptedModelServer(() => modelReply);
});
afterAll(async () => {
  await telegram?.close();
  await model?.close();
});
afterEach(() => {
  modelReply = { text: 'pong' };
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

/** `agent.model` at the scripted model server, with its key in {@link MODEL_KEY_ENV}. */
function scriptedModel(): Record<string, unknown> {
  return {
    provider: 'openai',
    name: 'scripted-model',
    baseUrl: model.baseUrlFor('openai'),
    apiKeyEnv: MODEL_KEY_ENV,
  };
}

/**
 * A state directory made the way a first start makes it (`clawdbot status` creates and
 * migrates it), with a config: by default a configured model at the scripted server and
 * sandboxes off, so nothing but what a test breaks is a problem.
 */
async function setUp(
  config: Record<string, unknown> = {},
  env: NodeJS.ProcessEnv = {},
): Promise<SetUp> {
  const root = mkdtempSync(join(tmpdir(), 'clawdbot-doctor-'));
  roots.push(root);
  const stateDir = join(root, 'state');
  const configPath = join(stateDir, 'clawdbot.json');
  const full: NodeJS.ProcessEnv = {
    CLAWDBOT_STATE_DIR: stateDir,
    CLAWDBOT_LOG_FILE: join(root, 'logs', 'clawdbot-YYYY-MM-DD.log'),
    DOCKER_HOST: NO_DOCKER_HOST,
    [MODEL_KEY_ENV]: MODEL_KEY,
    ...env,
  };
  const created = await runCli(['status'], full);
  expect(created.code, created.stderr).toBe(0);
  writeConfig(configPath, {
    agent: {
      model: scriptedModel(),
      sandbox: { mode: 'off' },
    },
    ...config,
  });
  return { root, stateDir, configPath, env: full };
}

function writeConfig(path: string, config: Record<string, unknown>): void {
  writeFileSync(path, JSON.stringify(config, null, 2), { mode: 0o600 });
}

async function doctor(
  env: NodeJS.ProcessEnv,
  args: string[] = [],
  wrapper: string[] = [],
  timeoutMs = 60_000,
): Promise<{ code: number | null; report: DoctorReport & { changes?: string[] }; stderr: string }> {
  const result = await runCli(['doctor', '--json', ...args], env, timeoutMs, wrapper);
  let report: DoctorReport & { changes?: string[] };
  try {
    report = JSON.parse(result.stdout) as DoctorReport & { changes?: string[] };
  } catch {
    throw new Error(
      `doctor printed no JSON (exit ${result.code}):\n${result.stdout}\n${result.stderr}`,
    );
  }
  return { code: result.code, report, stderr: result.stderr };
}

function check(report: DoctorReport, id: string): DoctorCheck {
  const found = report.checks.find((c) => c.id === id);
  if (!found)
    throw new Error(`no check ${id} in ${JSON.stringify(report.checks.map((c) => c.id))}`);
  return found;
}

/** The check ids a list of the set-up card shows, in order. */
async function checkIds(items: Locator): Promise<(string | null)[]> {
  return Promise.all((await items.all()).map((item) => item.getAttribute('data-check-id')));
}

/** The checks that are problems (what makes the exit code non-zero). */
function problems(report: DoctorReport): string[] {
  return report.checks
    .filter((c) => c.status === 'error' || c.status === 'warning')
    .map((c) => c.id);
}

describe('clawdbot doctor', () => {
  describe.skipIf(!hasDocker || sandboxImageMissing())(
    'on a healthy set-up',
    { tags: ['docker', 'sandbox-image'] },
    () => {
      it('finds nothing wrong, lists every check in order, and exits 0', async () => {
        const tokenFile = 'telegram.token';
        const setup = await setUp(
          {
            telegram: { tokenFile, apiRoot: telegram.apiRoot },
            agent: {
              model: scriptedModel(),
            },
          },
          { DOCKER_HOST: process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock' },
        );
        writeFileSync(join(setup.stateDir, tokenFile), `${telegram.token}\n`, { mode: 0o600 });
        const before = model.requests.length;
        const { code, report, stderr } = await doctor(setup.env);
        expect(problems(report), stderr).toEqual([]);
        expect(code).toBe(0);
        expect(report.checks.map((c) => c.id)).toEqual(CHECK_IDS);
        const version = (await testDockerClient().version()).Version;
        expect(check(report, 'docker.engine')).toMatchObject({
          status: 'ok',
          summary: expect.stringContaining(`Docker ${version} at `) as unknown,
        });
        expect(check(report, 'sandbox.image').summary).toMatch(
          /^clawdbot-sandbox:bookworm, built .* \(\d+ MB\)$/,
        );
        expect(check(report, 'telegram')).toMatchObject({
          status: 'ok',
          summary: `@doctor_test_bot (bot id ${telegram.me.id}); token from ${join(setup.stateDir, tokenFile)}`,
        });
        expect(check(report, 'model')).toMatchObject({
          status: 'ok',
          summary: expect.stringMatching(
            /^openai\/scripted-model at http:\/\/127\.0\.0\.1:\d+\/v1 answered one request \(key: CLAWDBOT_DOCTOR_TEST_KEY, 20 tokens\)$/,
          ) as unknown,
        });
        // One cheap request, with the configured key.
        const asked = model.requests.slice(before);
        expect(asked).toHaveLength(1);
        expect(asked[0]?.maxTokens).toBe(16);
        expect(asked[0]?.headers['authorization']).toBe(`Bearer ${MODEL_KEY}`);
        expect(check(report, 'config')).toMatchObject({
          status: 'ok',
          summary: `${setup.configPath} is valid and in force`,
        });
        expect(check(report, 'state.dir')).toMatchObject({ status: 'ok' });
        expect(check(report, 'store.migrations')).toMatchObject({
          status: 'ok',
          summary: `schema ${migrations.at(-1)?.version}, up to date`,
        });
        expect(check(report, 'limits').summary).toContain(
          'host commands wait for your decision unless allowlisted',
        );
        // The token never reaches the report.
        expect(JSON.stringify(report)).not.toContain(telegram.token);
        expect(JSON.stringify(report)).not.toContain(MODEL_KEY);
      });

      it('a sandbox runtime the engine does not list: an error naming how to register it', async () => {
        const setup = await setUp(
          { agent: { model: scriptedModel(), sandbox: { docker: { runtime: 'kata-missing' } } } },
          { DOCKER_HOST: process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock' },
        );
        const { code, report } = await doctor(setup.env);
        expect(code).toBe(1);
        expect(check(report, 'docker.runtimes')).toMatchObject({
          status: 'error',
          summary: expect.stringMatching(
            /^agent\.sandbox\.docker\.runtime is "kata-missing", but the Docker engine has no such runtime \(it lists: .*runc.*\): sandboxed tools are refused$/,
          ) as unknown,
          fix: expect.stringMatching(
            /daemon\.json.*--add-runtime kata-missing=.*remove agent\.sandbox\.docker\.runtime/,
          ) as unknown,
        });
      });
    },
  );

  it('Docker not running: the engine check fails with how to start it', async () => {
    const setup = await setUp();
    writeConfig(setup.configPath, {});
    const { code, report } = await doctor(setup.env);
    expect(code).toBe(1);
    expect(check(report, 'docker.engine')).toMatchObject({
      status: 'error',
      summary: expect.stringMatching(
        /^not reachable at \/nonexistent\/clawdbot-test-docker\.sock: Docker is not reachable \(ENOENT.*; sandboxed sessions' tools are refused until it answers$/,
      ) as unknown,
      fix: expect.stringContaining('sudo apt-get install docker.io') as unknown,
    });
    expect(check(report, 'sandbox.image')).toMatchObject({
      status: 'info',
      summary: 'clawdbot-sandbox:bookworm: not checked, Docker is not reachable',
    });
  });

  it.skipIf(process.platform !== 'linux')(
    'a Docker socket that refuses this user: the group to join',
    async () => {
      const home = unprivilegedHome();
      roots.push(home);
      chmodSync(home, 0o755);
      const socketPath = join(home, 'docker.sock');
      const engine = createServer();
      await new Promise<void>((resolve) => engine.listen(socketPath, resolve));
      chmodSync(socketPath, runningAsRoot ? 0o660 : 0o000);
      try {
        const env: NodeJS.ProcessEnv = {
          HOME: home,
          CLAWDBOT_STATE_DIR: join(home, 'state'),
          CLAWDBOT_LOG_FILE: join(home, 'logs', 'clawdbot.log'),
          DOCKER_HOST: `unix://${socketPath}`,
        };
        const { code, report } = await doctor(env, [], unprivilegedWrapper());
        expect(code).toBe(1);
        expect(check(report, 'docker.engine')).toMatchObject({
          status: 'error',
          summary: expect.stringContaining('permission denied on the Docker socket') as unknown,
          fix: 'add yourself to the docker group (`sudo usermod -aG docker "$(id -un)"`), then log out and back in',
        });
      } finally {
        await new Promise<void>((resolve) => engine.close(() => resolve()));
      }
    },
  );

  it.skipIf(!hasDocker)(
    'a missing sandbox image: the build command, which --fix runs',
    { tags: ['docker'] },
    async () => {
      const setup = await setUp(
        {
          agent: {
            model: scriptedModel(),
            sandbox: { docker: { image: 'clawdbot-doctor-missing:latest' } },
          },
        },
        { DOCKER_HOST: process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock' },
      );
      const { code, report } = await doctor(setup.env);
      expect(code).toBe(1);
      expect(check(report, 'sandbox.image')).toMatchObject({
        status: 'error',
        summary:
          "clawdbot-doctor-missing:latest is not on the engine: sandboxed sessions' tools are refused until it is built",
        fix: 'build it: `clawdbot sandbox image build --offline` (as root; without --offline where a registry is reachable), or `clawdbot doctor --fix`',
        fixable: true,
      });
    },
  );

  it('state files others can read: a warning that --fix clears by tightening modes', async () => {
    const setup = await setUp();
    const db = join(setup.stateDir, 'clawdbot.db');
    chmodSync(setup.stateDir, 0o755);
    chmodSync(db, 0o644);
    const broken = await doctor(setup.env);
    expect(broken.code).toBe(1);
    expect(check(broken.report, 'state.dir')).toMatchObject({
      status: 'warning',
      summary: expect.stringContaining(`${setup.stateDir} (755)`) as unknown,
      fixable: true,
    });
    const fixed = await doctor(setup.env, ['--fix']);
    expect(fixed.report.changes).toEqual(
      expect.arrayContaining([
        `chmod 700 ${setup.stateDir} (was 755)`,
        `chmod 600 ${db} (was 644)`,
      ]),
    );
    expect(problems(fixed.report)).toEqual([]);
    expect(fixed.code).toBe(0);
    expect(statSync(setup.stateDir).mode & 0o777).toBe(0o700);
    expect(statSync(db).mode & 0o777).toBe(0o600);
  });

  it('a state directory this user cannot write: an error with the chown fix', async () => {
    const setup = await setUp();
    chmodSync(dirname(setup.stateDir), 0o755);
    // Made by root (`sudo npm start` once); a normal user's own directory made read-only.
    if (!runningAsRoot) chmodSync(setup.stateDir, 0o500);
    const home = unprivilegedHome();
    roots.push(home);
    try {
      const { code, report } = await doctor(
        { ...setup.env, HOME: home, CLAWDBOT_LOG_FILE: join(home, 'logs', 'clawdbot.log') },
        [],
        unprivilegedWrapper(),
      );
      expect(code).toBe(1);
      expect(check(report, 'state.dir')).toMatchObject({
        status: 'error',
        fix: `make it yours (\`sudo chown -R "$(id -un)" ${setup.stateDir}\`) or set CLAWDBOT_STATE_DIR to a directory you can write`,
      });
    } finally {
      chmodSync(setup.stateDir, 0o700);
    }
  });

  it('an invalid config: which config is in force instead, and how to find the errors', async () => {
    const setup = await setUp({ whatsapp: { enabled: false } });
    // Seen valid once (status saves it as the last good config), then broken by an edit.
    expect((await runCli(['status'], setup.env)).code).toBe(0);
    writeFileSync(setup.configPath, '{ agent: { maxToolSteps: "many" } }');
    const lastGood = await doctor(setup.env);
    expect(lastGood.code).toBe(1);
    expect(check(lastGood.report, 'config')).toMatchObject({
      status: 'error',
      summary: expect.stringMatching(
        /is rejected: .*maxToolSteps.*; the last good config from \d{4}-\d\d-\d\dT.* is in force$/,
      ) as unknown,
      fix: 'correct the file: `clawdbot config validate` lists every error with its key path',
    });
    // The checks that read the config read the one in force: the model is still configured.
    expect(check(lastGood.report, 'model').status).toBe('ok');

    const fresh = await setUp();
    writeFileSync(fresh.configPath, '{ not json');
    const defaults = await doctor(fresh.env);
    expect(check(defaults.report, 'config')).toMatchObject({
      status: 'error',
      summary: expect.stringContaining(
        'no good config was ever seen, so the safe defaults are in force and no messenger connects',
      ) as unknown,
    });
  });

  it('a log directory that cannot be trusted: where the logs go instead', async () => {
    const setup = await setUp();
    const real = join(setup.root, 'real-logs');
    mkdirSync(real);
    symlinkSync(real, join(setup.root, 'linked-logs'));
    const { code, report } = await doctor({
      ...setup.env,
      CLAWDBOT_LOG_FILE: join(setup.root, 'linked-logs', 'clawdbot.log'),
    });
    expect(code).toBe(1);
    expect(check(report, 'logging')).toMatchObject({
      status: 'warning',
      summary: expect.stringMatching(
        new RegExp(
          `^logs go to ${setup.stateDir}/logs instead of ${setup.root}/linked-logs: .*symbolic link`,
        ),
      ) as unknown,
    });
  });

  it('a Telegram token the Bot API refuses, and a Bot API that does not answer', async () => {
    const setup = await setUp({ telegram: { apiRoot: telegram.apiRoot } });
    const refused = await doctor({ ...setup.env, TELEGRAM_BOT_TOKEN: '999999:not-the-token' });
    expect(refused.code).toBe(1);
    expect(check(refused.report, 'telegram')).toMatchObject({
      status: 'error',
      summary: 'Telegram rejected the bot token (401 Unauthorized); token from TELEGRAM_BOT_TOKEN',
      fix: expect.stringContaining('@BotFather') as unknown,
    });
    expect(JSON.stringify(refused.report)).not.toContain('not-the-token');

    writeConfig(setup.configPath, {
      telegram: { apiRoot: 'http://127.0.0.1:9' },
      agent: { sandbox: { mode: 'off' } },
    });
    const silent = await doctor({ ...setup.env, TELEGRAM_BOT_TOKEN: telegram.token });
    expect(check(silent.report, 'telegram')).toMatchObject({
      status: 'warning',
      summary: expect.stringMatching(/^the Bot API did not answer getMe: /) as unknown,
      fix: 'make sure telegram.apiRoot (http://127.0.0.1:9) is up and reachable from here',
    });
    expect(JSON.stringify(silent.report)).not.toContain(telegram.token);
  });

  it('WhatsApp switched on with no phone linked', async () => {
    const setup = await setUp({ whatsapp: { enabled: true } });
    const { code, report } = await doctor(setup.env);
    expect(code).toBe(1);
    expect(check(report, 'whatsapp')).toMatchObject({
      status: 'warning',
      fix: '`clawdbot whatsapp login`, then scan the QR code with WhatsApp → Settings → Linked devices',
    });
    // Linked: the saved credentials name the account.
    const auth = join(setup.stateDir, 'credentials', 'whatsapp');
    mkdirSync(auth, { recursive: true, mode: 0o700 });
    chmodSync(join(setup.stateDir, 'credentials'), 0o700);
    writeFileSync(
      join(auth, 'creds.json'),
      JSON.stringify({ me: { id: '15555550123:1@s.whatsapp.net' } }),
      {
        mode: 0o600,
      },
    );
    expect(check((await doctor(setup.env)).report, 'whatsapp').status).toBe('ok');
  });

  it('a model that refuses the key, one that does not answer, and no key at all', async () => {
    const setup = await setUp();
    modelReply = { error: { status: 401, message: 'invalid api key' } };
    const refused = await doctor(setup.env);
    expect(refused.code).toBe(1);
    expect(check(refused.report, 'model')).toMatchObject({
      status: 'error',
      fix: `put a valid key in ${MODEL_KEY_ENV} where Clawdbot runs (or store it in the desktop app's Model card)`,
    });
    expect(JSON.stringify(refused.report)).not.toContain(MODEL_KEY);

    writeConfig(setup.configPath, {
      agent: {
        model: {
          provider: 'openai',
          name: 'm',
          baseUrl: 'http://127.0.0.1:9/v1',
          apiKeyEnv: MODEL_KEY_ENV,
        },
        sandbox: { mode: 'off' },
      },
    });
    const silent = await doctor(setup.env);
    expect(check(silent.report, 'model')).toMatchObject({
      status: 'error',
      fix: 'make sure the server at agent.model.baseUrl (http://127.0.0.1:9/v1) runs and is reachable from here',
    });

    writeConfig(setup.configPath, {
      agent: {
        model: { provider: 'anthropic', name: 'claude-sonnet-4-5' },
        sandbox: { mode: 'off' },
      },
    });
    const keyless = await doctor({ ...setup.env, ANTHROPIC_API_KEY: '' });
    expect(check(keyless.report, 'model')).toMatchObject({
      status: 'warning',
      summary:
        "anthropic/claude-sonnet-4-5: no key, ANTHROPIC_API_KEY is not set here (a key kept in the desktop app's keychain is checked on the app's dashboard)",
    });

    writeConfig(setup.configPath, { agent: { sandbox: { mode: 'off' } } });
    const none = await doctor(setup.env);
    expect(check(none.report, 'model')).toMatchObject({
      status: 'warning',
      summary: 'no model configured: allowed senders only get a short "not configured" reply',
    });
  });

  it('the limits in force, elevated, and the exec approvals in force', async () => {
    const setup = await setUp({
      agent: {
        model: scriptedModel(),
        sandbox: { mode: 'off' },
        elevated: { enabled: true, allowFrom: { telegram: ['1001'] } },
        approvals: {
          host: 'allowlist',
          sandbox: 'ask',
          allowlist: [{ command: 'git status', match: 'exact', where: 'host' }],
        },
      },
      limits: { sender: { messagesPerMinute: 6, burst: 2, dailyTokens: 5000 } },
    });
    const { report } = await doctor(setup.env);
    expect(check(report, 'limits')).toMatchObject({
      status: 'info',
      summary:
        'elevated (host bash) ON for you and 1 listed sender; each sender 6/min (burst 2), 5,000 tokens/day; you no rate limit, no daily budget; everyone no daily budget; 10 queued per session, 16,000 characters per message; host commands not on the allowlist are denied without asking (1 allowlist entry); sandboxed commands wait for your decision too',
    });
  });

  it('pending migrations: a warning that --fix applies; a newer schema: an error', async () => {
    const setup = await setUp();
    const file = join(setup.stateDir, 'clawdbot.db');
    for (const path of [file, `${file}-wal`, `${file}-shm`]) rmSync(path, { force: true });
    const old = new BetterSqlite3(file);
    runMigrations(
      old,
      migrations.filter((m) => m.version <= 5),
    );
    old.close();
    chmodSync(file, 0o600);
    const latest = migrations.at(-1)?.version ?? 0;
    const pending = migrations.filter((m) => m.version > 5);
    const before = await doctor(setup.env);
    expect(before.code).toBe(1);
    expect(check(before.report, 'store.migrations')).toMatchObject({
      status: 'warning',
      summary: `schema 5: ${pending.length} migrations pending (${pending.map((m) => `${m.version} ${m.name}`).join('; ')})`,
      fixable: true,
    });
    const fixed = await doctor(setup.env, ['--fix']);
    expect(fixed.report.changes).toContain(`migrated the database from schema 5 to ${latest}`);
    expect(check(fixed.report, 'store.migrations').status).toBe('ok');
    expect(fixed.code).toBe(0);

    const newer = new BetterSqlite3(file);
    newer.pragma(`user_version = ${latest + 1}`);
    newer.close();
    const ahead = await doctor(setup.env);
    expect(check(ahead.report, 'store.migrations')).toMatchObject({
      status: 'error',
      summary: `schema ${latest + 1} is newer than this Clawdbot knows (${latest}): a newer version used it`,
    });
  });

  it('a native module built for another ABI: the rebuild command', async () => {
    const setup = await setUp();
    // A file that is not a Node addon for this runtime, as an Electron build would not be.
    const { code, report } = await doctor({ ...setup.env, CLAWDBOT_SQLITE_BINDING: '/bin/true' });
    expect(code).toBe(1);
    expect(check(report, 'native.node')).toMatchObject({
      status: 'error',
      fix: 'run `npm rebuild better-sqlite3` in the Clawdbot checkout (with the Node that runs Clawdbot)',
    });
  });

  it('a Node older than package.json asks for', async () => {
    const appRoot = mkdtempSync(join(tmpdir(), 'clawdbot-approot-'));
    roots.push(appRoot);
    writeFileSync(join(appRoot, 'package.json'), JSON.stringify({ engines: { node: '>=99.1' } }));
    const result = await checkNodeVersion.run(
      { stateDir: appRoot, configPath: join(appRoot, 'c.json'), env: {}, appRoot },
      {} as DoctorFacts,
    );
    expect(result).toMatchObject({
      status: 'error',
      summary: `${process.versions.node} is not a Node.js Clawdbot supports (>=99.1)`,
    });
  });

  it('a Node outside every range package.json names (engines with ||)', async () => {
    const appRoot = mkdtempSync(join(tmpdir(), 'clawdbot-approot-'));
    roots.push(appRoot);
    const range = '^18.19.0 || >=99';
    writeFileSync(join(appRoot, 'package.json'), JSON.stringify({ engines: { node: range } }));
    const result = await checkNodeVersion.run(
      { stateDir: appRoot, configPath: join(appRoot, 'c.json'), env: {}, appRoot },
      {} as DoctorFacts,
    );
    expect(result).toMatchObject({
      status: 'error',
      summary: `${process.versions.node} is not a Node.js Clawdbot supports (${range})`,
      fix: `install a Node.js in ${range} (https://nodejs.org/ or your system's packages), then run \`npm rebuild\``,
    });
  });

  describe.skipIf(chromiumMissing && !requireBrowser)(
    "the dashboard's set-up card",
    { tags: ['browser'] },
    () => {
      it('shows the same checks as clawdbot doctor, problems first', async () => {
        const setup = await setUp({ whatsapp: { enabled: true } });
        const cli = await doctor(setup.env);
        const pageErrors: string[] = [];
        const ui = await openWebUi(
          { stateDir: setup.stateDir, env: { ...process.env, ...setup.env } },
          pageErrors,
        );
        try {
          const card = ui.page.getByTestId('doctor-card');
          await card
            .getByTestId('doctor-summary')
            .filter({ hasText: /problem|Nothing is wrong/ })
            .waitFor({ timeout: UI_TIMEOUT_MS });
          const shown = await checkIds(card.getByTestId('doctor-check'));
          expect([...shown].sort()).toEqual([...CHECK_IDS].sort());
          const firstProblems = await checkIds(
            card.getByTestId('doctor-problems').getByTestId('doctor-check'),
          );
          expect(firstProblems).toEqual(doctorProblems(cli.report.checks).map((c) => c.id));
          await expect
            .poll(() => card.getByTestId('doctor-problems').textContent())
            .toContain('clawdbot whatsapp login');
          expect(pageErrors).toEqual([]);
        } finally {
          await ui.browser.close();
          await ui.supervisor.close();
        }
      });
    },
  );

  it.skipIf(!hasDocker)(
    'doctor --fix builds a missing sandbox image, showing its progress',
    { tags: ['docker'], timeout: SANDBOX_IMAGE_BUILD_TIMEOUT_MS },
    async () => {
      const image = 'clawdbot-doctor-fix-test:latest';
      const docker = testDockerClient(0);
      await docker
        .getImage(image)
        .remove({ force: true })
        .catch(() => undefined);
      const setup = await setUp(
        {
          agent: {
            model: scriptedModel(),
            sandbox: { docker: { image } },
          },
        },
        { DOCKER_HOST: process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock' },
      );
      try {
        const fixed = await doctor(setup.env, ['--fix'], [], SANDBOX_IMAGE_BUILD_TIMEOUT_MS);
        expect(fixed.stderr).toMatch(new RegExp(`^building ${image} \\(`, 'm'));
        expect(fixed.stderr).toMatch(/^\[1\/3\] debootstrap|^docker build/m);
        expect(fixed.report.changes).toEqual([
          expect.stringMatching(new RegExp(`^built ${image} \\(\\w+, \\d+ MB\\) in \\d+ s$`)),
        ]);
        expect(check(fixed.report, 'sandbox.image').status).toBe('ok');
        expect(fixed.code).toBe(0);
      } finally {
        await docker
          .getImage(image)
          .remove({ force: true })
          .catch(() => undefined);
      }
    },
  );
});
