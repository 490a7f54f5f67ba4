import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../../src-shared/config/schema.js';
import { hostWorkspaceDir } from '../../../src-main/state-layout.js';
import { FakeTelegramApi, type SentMessage } from '../../fixtures/fake-telegram-api.js';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../../fixtures/scripted-model-server.js';
import { dockerAvailable, testDockerClient } from '../../helpers/docker.js';
import {
  SANDBOX_IMAGE_BUILD_TIMEOUT_MS,
  ensureSandboxImage,
  sandboxImageMissing,
} from '../../helpers/sandbox-image.js';
import { useSupervisors } from '../../helpers/supervisor.js';
import { startTelegramChild, type TelegramChild } from '../../helpers/telegram-child.js';
import { useTempStateDirs } from '../../helpers/temp-state.js';
import { waitFor } from '../../helpers/wait.js';
import { runCli } from '../../helpers/cli.js';
import { silentLogger } from '../../../src-main/logging/logger.js';
import { createApprovalsRepo } from '../../../src-main/store/approvals-repo.js';
import { openDatabase } from '../../../src-main/store/open-database.js';
import { removeRunSandboxes } from '../../sandbox/sandbox-test-kit.js';

const OWNER = 4_000_001;
const FRIEND = 4_000_002;
const STRANGER = 4_000_003;

/**
 * The owner's Telegram DM as an approvals surface, through the real gateway child polling the
 * fake Bot API: inline buttons answered by `callback_query`, refused for anyone but the owner.
 */
describe('approvals in the owner’s Telegram chat', () => {
  let model: ScriptedModelServer;
  let api: FakeTelegramApi | null = null;
  const newStateDir = useTempStateDirs();
  const openSupervisor = useSupervisors();

  beforeAll(async () => {
    model = await startScriptedModelServer(obeyingAttacker());
  });
  afterAll(async () => {
    await model.close();
  });
  afterEach(async () => {
    await api?.close();
    api = null;
  });

  async function child(
    approvals: NonNullable<ConfigInput['agent']>['approvals'] = {},
  ): Promise<{ g: TelegramChild; api: FakeTelegramApi }> {
    api = await FakeTelegramApi.start({ username: 'approvals_test_bot' });
    const g = await startTelegramChild({
      api,
      stateDir: newStateDir(),
      config: {
        owner: { telegram: [String(OWNER)] },
        telegram: { allowFrom: [String(FRIEND)] },
        agent: {
          model: { provider: 'openai', name: 'obedient', baseUrl: model.baseUrlFor('openai') },
          approvals,
        },
      },
      env: { OPENAI_API_KEY: 'test-key' },
      open: openSupervisor,
    });
    return { g, api };
  }

  const prompt = (api: FakeTelegramApi): Promise<SentMessage> =>
    waitFor('the approval prompt with buttons', () =>
      api.sent.find((m) => m.chat_id === String(OWNER) && (m.buttons?.length ?? 0) > 0),
    );
  const data = (message: SentMessage, label: string): string =>
    message.buttons!.flat().find((b) => b.text === label)!.callback_data;

  it('runs after the owner presses Allow once; a friend pressing it changes nothing', async () => {
    const { g, api } = await child();
    const file = join(hostWorkspaceDir(g.stateDir), 'tg.txt');
    const answered = g.dm(OWNER, 'run: echo from-telegram > tg.txt', 3);
    const message = await prompt(api);
    expect(message.text).toContain('$ echo from-telegram > tg.txt');
    expect(message.buttons!.flat().map((b) => b.text)).toEqual(['Allow once', 'Always', 'Deny']);

    const friendPress = api.pressButton(FRIEND, message, data(message, 'Allow once'));
    await waitFor('the refusal', () =>
      api.callbackAnswers.find((a) => a.callback_query_id === friendPress),
    );
    expect(api.callbackAnswers.find((a) => a.callback_query_id === friendPress)?.text).toBe(
      'Only the owner can decide this.',
    );
    expect(existsSync(file)).toBe(false);

    const ownerPress = api.pressButton(OWNER, message, data(message, 'Allow once'));
    const replies = await answered;
    expect(api.callbackAnswers.find((a) => a.callback_query_id === ownerPress)?.text).toMatch(
      /allowed \(once\)/,
    );
    expect(readFileSync(file, 'utf8')).toBe('from-telegram\n');
    expect(replies.join('\n')).toContain('allowed (once)');
    // Decided: the buttons are gone from the prompt.
    await waitFor('the buttons removed', () => message.buttons?.length === 0);
  });

  it('Deny never runs it, and `/approve ID deny` typed by a friend is refused', async () => {
    const { g, api } = await child();
    const file = join(hostWorkspaceDir(g.stateDir), 'no.txt');
    const answered = g.dm(OWNER, 'run: echo never > no.txt', 3);
    const message = await prompt(api);
    const id = /Approval needed \((\w+)\)/.exec(message.text)![1]!;
    expect(await g.dm(FRIEND, `/approve ${id} once`)).toEqual(['Only the owner can decide this.']);
    expect(existsSync(file)).toBe(false);
    api.pressButton(OWNER, message, data(message, 'Deny'));
    const replies = await answered;
    expect(replies.join('\n')).toContain('the owner denied this command');
    expect(existsSync(file)).toBe(false);
    await waitFor('the buttons removed', () => message.buttons?.length === 0);
  });

  it('`/approve ID once` typed by the owner in the DM whose turn is paused runs it', async () => {
    const { g, api } = await child();
    const file = join(hostWorkspaceDir(g.stateDir), 'typed.txt');
    // Four answers: the prompt, the decision's reply, the buttons' "decided" note, the model's.
    const answered = g.dm(OWNER, 'run: echo typed > typed.txt', 4);
    const message = await prompt(api);
    const id = /Approval needed \((\w+)\)/.exec(message.text)![1]!;
    g.push(OWNER, [{ from: OWNER, text: `/approve ${id} once` }]);
    const replies = await answered;
    expect(readFileSync(file, 'utf8')).toBe('typed\n');
    expect(replies.join('\n')).toContain(`${id}: allowed (once) by telegram:${OWNER} via telegram`);
    await waitFor('the buttons removed', () => message.buttons?.length === 0);
  });

  it('`clawdbot kill` denies the waiting command, which never runs', async () => {
    const { g, api } = await child();
    const file = join(hostWorkspaceDir(g.stateDir), 'killed.txt');
    void g.dm(OWNER, 'run: echo killed > killed.txt').catch(() => undefined);
    const message = await prompt(api);
    const id = /Approval needed \((\w+)\)/.exec(message.text)![1]!;
    const killed = await runCli(['kill', '--reason', 'approvals test'], {
      ...process.env,
      CLAWDBOT_STATE_DIR: g.stateDir,
      CLAWDBOT_CONFIG_PATH: '',
    });
    expect(killed.code, killed.stderr).toBe(0);
    const db = openDatabase(g.stateDir);
    try {
      expect(createApprovalsRepo(db, silentLogger).get(id)).toMatchObject({
        state: 'denied',
        outcome: 'kill-switch',
      });
    } finally {
      db.close();
    }
    expect(existsSync(file)).toBe(false);
  });

  it('tells the owner of a pairing request with Approve / Reject; Approve lets the stranger in', async () => {
    const { g, api } = await child();
    const code = (await g.dm(STRANGER, 'hello?'))[0]!;
    const notice = await waitFor('the pairing notice', () =>
      api.sent.find((m) => m.chat_id === String(OWNER) && /Pairing request/.test(m.text)),
    );
    expect(notice.buttons!.flat().map((b) => b.text)).toEqual(['Approve', 'Reject']);
    expect(code).toContain(/code (\S+)/.exec(notice.text)![1]!.replace(/\.$/, ''));
    // A friend's press is refused; the owner's approves, and the stranger is told.
    const friendPress = api.pressButton(FRIEND, notice, data(notice, 'Approve'));
    await waitFor('the refusal', () =>
      api.callbackAnswers.find((a) => a.callback_query_id === friendPress),
    );
    const ownerPress = api.pressButton(OWNER, notice, data(notice, 'Approve'));
    await waitFor('the approval answer', () =>
      api.callbackAnswers.find((a) => a.callback_query_id === ownerPress),
    );
    expect(api.callbackAnswers.find((a) => a.callback_query_id === friendPress)?.text).toBe(
      'Only the owner can decide this.',
    );
    expect(api.callbackAnswers.find((a) => a.callback_query_id === ownerPress)?.text).toMatch(
      /^Approved /,
    );
    await waitFor('the stranger told', () => g.sentTo(STRANGER).length >= 2);
  });
});

const hasDocker = await dockerAvailable();

/**
 * `agent.approvals.sandbox: "ask"` with real Docker: a friend's sandboxed command waits for the
 * owner too, and runs in the friend's sandbox only once the owner allows it.
 */
describe.skipIf(!hasDocker || sandboxImageMissing())(
  'approvals for sandboxed commands',
  { tags: ['docker', 'sandbox-image'] },
  () => {
    const docker = testDockerClient(0);
    let model: ScriptedModelServer;
    let api: FakeTelegramApi | null = null;
    const newStateDir = useTempStateDirs();
    const openSupervisor = useSupervisors();

    beforeAll(async () => {
      await ensureSandboxImage(docker);
      model = await startScriptedModelServer(obeyingAttacker());
    }, SANDBOX_IMAGE_BUILD_TIMEOUT_MS);
    afterAll(async () => {
      await model?.close();
    });
    afterEach(async () => {
      await api?.close();
      api = null;
      await removeRunSandboxes(docker, `:${FRIEND}`);
    });

    it('a friend’s sandboxed command waits for the owner; Deny never runs it, Allow once runs it in the sandbox', async () => {
      api = await FakeTelegramApi.start({ username: 'approvals_sandbox_bot' });
      const fake = api;
      const g = await startTelegramChild({
        api: fake,
        stateDir: newStateDir(),
        config: {
          owner: { telegram: [String(OWNER)] },
          telegram: { allowFrom: [String(FRIEND)] },
          agent: {
            model: { provider: 'openai', name: 'obedient', baseUrl: model.baseUrlFor('openai') },
            approvals: { sandbox: 'ask' },
          },
        },
        env: { OPENAI_API_KEY: 'test-key' },
        open: openSupervisor,
      });
      const promptFor = (command: string): Promise<SentMessage> =>
        waitFor('the approval prompt', () =>
          fake.sent.find(
            (m) =>
              m.chat_id === String(OWNER) &&
              (m.buttons?.length ?? 0) > 0 &&
              m.text.includes(`$ ${command}`),
          ),
        );
      const pressed = (message: SentMessage, label: string): string =>
        message.buttons!.flat().find((b) => b.text === label)!.callback_data;

      const denied = g.dm(FRIEND, 'run: echo denied-$((6*7))');
      const first = await promptFor('echo denied-$((6*7))');
      expect(first.text).toContain('run in its sandbox');
      // The engine it would run on (this test's, under the engine's default runtime).
      expect(first.text).toMatch(/^Runs on: sandbox on \S+, the engine’s default runtime$/m);
      fake.pressButton(OWNER, first, pressed(first, 'Deny'));
      expect((await denied).join('\n')).toContain('the owner denied this command');

      const allowed = g.dm(FRIEND, 'run: echo sandboxed-$((6*7))', 1);
      const second = await promptFor('echo sandboxed-$((6*7))');
      fake.pressButton(OWNER, second, pressed(second, 'Allow once'));
      expect((await allowed).join('\n')).toContain('sandboxed-42');

      const calls = g
        .transcript(`dm:telegram:${FRIEND}`)
        .filter((e) => e.kind === 'tool-call')
        .map((e) => e.data);
      expect(calls).toEqual([
        expect.objectContaining({ where: 'sandbox' }),
        expect.objectContaining({ where: 'sandbox' }),
      ]);
      expect(g.sentTo(FRIEND).join('\n')).not.toContain('denied-42');
    });
  },
);
