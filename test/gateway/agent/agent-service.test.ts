import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../../src-shared/config/schema.js';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ModelScript,
  type ScriptedModelServer,
} from '../../fixtures/scripted-model-server.js';
import { startAgentGateway, type AgentGateway } from '../../helpers/agent-gateway.js';
import { useTempStateDirs } from '../../helpers/temp-state.js';
import { writeConfig } from '../../helpers/gateway-harness.js';
import { waitFor } from '../../helpers/wait.js';
import { NOT_CONFIGURED_TEXT } from '../../../src-main/gateway/not-configured-responder.js';

const OWNER = '100';
const FRIEND = '200';
const TRUSTED = '300';

/** The agent service through the real pipeline, model client over HTTP and SQLite transcripts. */
describe('the agent service', () => {
  let model: ScriptedModelServer;
  let script: ModelScript = obeyingAttacker();
  const newStateDir = useTempStateDirs();
  const open: AgentGateway[] = [];
  const markers: string[] = [];

  beforeAll(async () => {
    model = await startScriptedModelServer((request) => script(request));
  });
  afterAll(async () => {
    await model.close();
  });
  afterEach(async () => {
    for (const g of open.splice(0)) await g.stop();
    for (const m of markers.splice(0)) rmSync(m, { force: true });
    model.requests.length = 0;
    script = obeyingAttacker();
  });

  async function gateway(config: ConfigInput = {}, now?: () => number): Promise<AgentGateway> {
    const g = await startAgentGateway({
      stateDir: newStateDir(),
      // These tests are about the agent, not approvals: the owner allows what asks.
      ownerApproves: true,
      now,
      config: {
        owner: { telegram: [OWNER] },
        telegram: { allowFrom: [FRIEND, TRUSTED] },
        ...config,
        agent: {
          model: { provider: 'openai', name: 'scripted', baseUrl: model.baseUrlFor('openai') },
          ...config.agent,
        },
      },
    });
    open.push(g);
    return g;
  }

  function marker(): string {
    const path = join(tmpdir(), `clawdbot-agent-${randomBytes(6).toString('hex')}`);
    markers.push(path);
    return path;
  }

  it('records the whole turn: message, tool call with its arguments, result, answer', async () => {
    const g = await gateway();
    await g.ownerConsole('run: echo transcript-check');
    const kinds = g.transcript('main').map((e) => e.kind);
    // The host command waited for the owner: the request and the decision are on the record.
    expect(kinds).toEqual([
      'access',
      'inbound',
      'tool-call',
      'approval',
      'approval',
      'tool-result',
      'assistant',
    ]);
    const [, inbound, call, , , result, answer] = g.transcript('main');
    expect(inbound!.text).toBe('run: echo transcript-check');
    expect(call!.data).toMatchObject({
      tool: 'bash',
      args: { command: 'echo transcript-check' },
      where: 'host',
    });
    expect(result!.data).toMatchObject({ tool: 'bash', ok: true, where: 'host' });
    expect(result!.text).toContain('transcript-check');
    expect(answer!.text).toContain('transcript-check');
    // Live views got the same events, in order.
    expect(g.events.map((e) => e.id)).toEqual(g.transcript('main').map((e) => e.id));
    // And the text is searchable.
    const { createSessionsRepo } = await import('../../../src-main/store/sessions-repo.js');
    const found = createSessionsRepo(g.db).search('transcript');
    expect(found.map((e) => e.id)).toEqual(expect.arrayContaining([inbound!.id, answer!.id]));
    expect(found.every((e) => e.sessionKey === 'main')).toBe(true);
  });

  it('carries the conversation over turns and starts afresh on /new', async () => {
    const g = await gateway();
    script = (request) => ({
      text: `I have seen ${request.messages.filter((m) => m.role === 'user').length} messages`,
    });
    expect(await g.ownerConsole('one')).toEqual(['I have seen 1 messages']);
    expect(await g.ownerConsole('two')).toEqual(['I have seen 2 messages']);
    expect(await g.ownerConsole('/new')).toEqual(['Started a new conversation.']);
    expect(await g.ownerConsole('three')).toEqual(['I have seen 1 messages']);
    expect(await g.ownerConsole('/new and four')).toEqual(['I have seen 1 messages']);
    expect(JSON.stringify(model.requests.at(-1)!.messages)).toContain('and four');
    expect(g.transcript('main').filter((e) => e.kind === 'session')).toHaveLength(2);
  });

  it('a model error becomes a short reply and a transcript entry; the gateway keeps going', async () => {
    const g = await gateway();
    script = () => ({ error: { status: 500, message: 'upstream exploded' } });
    const [reply] = await g.telegramDm(FRIEND, 'hello?');
    expect(reply).toMatch(/could not get an answer from the model/);
    const error = g.transcript(`dm:telegram:${FRIEND}`).find((e) => e.kind === 'error');
    expect(error?.data).toMatchObject({ kind: 'server' });
    script = () => ({ text: 'back again' });
    expect(await g.telegramDm(FRIEND, 'and now?')).toEqual(['back again']);
  });

  it('without a model, allowed senders get the not-configured reply and the model is not called', async () => {
    const g = await startAgentGateway({
      stateDir: newStateDir(),
      config: { telegram: { allowFrom: [FRIEND] } },
    });
    open.push(g);
    expect(await g.telegramDm(FRIEND, 'hi')).toEqual([NOT_CONFIGURED_TEXT]);
    expect(model.requests).toHaveLength(0);
  });

  it('elevated, when enabled for a listed sender, runs bash on the host and marks it', async () => {
    const g = await gateway({
      agent: {
        sandbox: { mode: 'all' },
        elevated: { enabled: true, allowFrom: { telegram: [TRUSTED] } },
      },
    });
    const path = marker();
    expect((await g.telegramDm(TRUSTED, '/elevated on')).join()).toMatch(/Elevated mode is on/);
    await g.telegramDm(TRUSTED, `run: touch ${path}`);
    expect(existsSync(path)).toBe(true);
    const events = g.transcript(`dm:telegram:${TRUSTED}`);
    expect(events.find((e) => e.kind === 'tool-call')?.data).toMatchObject({
      where: 'host',
      elevated: true,
    });
    expect(events.find((e) => e.kind === 'tool-result')?.data).toMatchObject({
      where: 'host',
      elevated: true,
    });
    expect(events.filter((e) => e.kind === 'elevated').map((e) => e.text)).toEqual([
      'Elevated on for this session',
    ]);
    // Switched off again, nothing more reaches the host (the sandbox would be used instead).
    expect(await g.telegramDm(TRUSTED, '/elevated off')).toEqual(['Elevated mode is off.']);
  });

  it('an inline /elevated applies to that message only, and an unlisted friend is refused', async () => {
    const g = await gateway({
      agent: { elevated: { enabled: true, allowFrom: { telegram: [TRUSTED] } } },
    });
    const path = marker();
    expect(await g.telegramDm(FRIEND, `/elevated on run: touch ${path}`)).toEqual([
      'Elevated mode is not available to you.',
    ]);
    expect(existsSync(path)).toBe(false);
    await g.telegramDm(TRUSTED, `/elevated on run: touch ${path}`);
    expect(existsSync(path)).toBe(true);
    const session = g.transcript(`dm:telegram:${TRUSTED}`);
    expect(session.find((e) => e.kind === 'elevated')?.data).toMatchObject({ scope: 'message' });
    // The model saw only the text after the command.
    expect(JSON.stringify(model.requests.at(-2)!.messages)).not.toContain('/elevated');
  });

  it('the host shell never sees the model key or bot token', async () => {
    const g = await startAgentGateway({
      stateDir: newStateDir(),
      ownerApproves: true,
      config: {
        agent: {
          model: {
            provider: 'openai',
            name: 's',
            baseUrl: model.baseUrlFor('openai'),
            apiKeyEnv: 'MY_MODEL_KEY',
          },
        },
      },
      env: {
        PATH: process.env['PATH'],
        MY_MODEL_KEY: 'sk-canary-model-key-123456',
        TELEGRAM_BOT_TOKEN: '123456789:AAcanarycanarycanarycanarycanary12',
      },
    });
    open.push(g);
    const [reply] = await g.ownerConsole('run: env');
    expect(reply).toContain('PATH=');
    expect(reply).not.toContain('canary');
    // The key did reach the model server, where it belongs.
    expect(model.requests.at(-1)!.headers['authorization']).toBe(
      'Bearer sk-canary-model-key-123456',
    );
  });

  it('a friend removed from the allowlist is blocked, and their session records it without the text', async () => {
    const g = await gateway({ telegram: { dmPolicy: 'allowlist', allowFrom: [FRIEND] } });
    await g.telegramDm(FRIEND, 'hello while allowed');
    writeConfig(g.stateDir, {
      owner: { telegram: [OWNER] },
      telegram: { dmPolicy: 'allowlist', allowFrom: [] },
      agent: {
        model: { provider: 'openai', name: 'scripted', baseUrl: model.baseUrlFor('openai') },
      },
    });
    await waitFor(
      'the config reload',
      () => g.services.config.current().config.telegram.allowFrom.length === 0,
    );
    const before = model.requests.length;
    expect(await g.telegramDm(FRIEND, 'secret plans after removal')).toEqual([]);
    expect(model.requests).toHaveLength(before);
    const last = g.transcript(`dm:telegram:${FRIEND}`).at(-1)!;
    expect(last).toMatchObject({ kind: 'access', data: { reason: 'not-allowlisted' } });
    expect(JSON.stringify(g.transcript(`dm:telegram:${FRIEND}`))).not.toContain('secret plans');
  });

  it('a session quiet for longer than session.idleMinutes starts a new conversation', async () => {
    // The gateway's clock, moved by the test: an hour passes without waiting for it.
    let offsetMs = 0;
    const g = await gateway({ session: { idleMinutes: 60 } }, () => Date.now() + offsetMs);
    script = (request) => ({
      text: `seen ${request.messages.filter((m) => m.role === 'user').length}`,
    });
    expect(await g.ownerConsole('one')).toEqual(['seen 1']);
    expect(await g.ownerConsole('two')).toEqual(['seen 2']);
    offsetMs += 59 * 60_000;
    expect(await g.ownerConsole('three')).toEqual(['seen 3']);
    offsetMs += 61 * 60_000;
    expect(await g.ownerConsole('four')).toEqual(['seen 1']);
    expect(
      g
        .transcript('main')
        .filter((e) => e.kind === 'session')
        .map((e) => e.text),
    ).toEqual(['New conversation: idle for more than 60 minutes']);
  });

  it('a refusal reaches the sender as the model worded it and is marked in the transcript', async () => {
    const g = await gateway();
    script = () => ({ stopReason: 'refusal' });
    expect(await g.telegramDm(FRIEND, 'do something awful')).toEqual([
      'The model declined to answer that.',
    ]);
    const last = g.transcript(`dm:telegram:${FRIEND}`).at(-1)!;
    expect(last).toMatchObject({ kind: 'error', data: { kind: 'refusal' } });
  });
});
