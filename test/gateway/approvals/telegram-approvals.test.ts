import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { hostWorkspaceDir } from '../../../src-main/state-layout.js';
import { FakeTelegramApi, type SentMessage } from '../../fixtures/fake-telegram-api.js';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ScriptedModelServer,
} from '../../fixtures/scripted-model-server.js';
import { useSupervisors } from '../../helpers/supervisor.js';
import { startTelegramChild, type TelegramChild } from '../../helpers/telegram-child.js';
import { useTempStateDirs } from '../../helpers/temp-state.js';
import { waitFor } from '../../helpers/wait.js';

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

  async function child(): Promise<{ g: TelegramChild; api: FakeTelegramApi }> {
    api = await FakeTelegramApi.start({ username: 'approvals_test_bot' });
    const g = await startTelegramChild({
      api,
      stateDir: newStateDir(),
      config: {
        owner: { telegram: [String(OWNER)] },
        telegram: { allowFrom: [String(FRIEND)] },
        agent: {
          model: { provider: 'openai', name: 'obedient', baseUrl: model.baseUrlFor('openai') },
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
