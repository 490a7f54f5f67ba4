import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelConfig } from '../../../src-shared/config/agent-schema.js';
import { createModelClient } from '../../../src-main/gateway/agent/model/create-model-client.js';
import {
  ModelError,
  type ModelClient,
  type ModelErrorKind,
  type ModelMessage,
  type ModelRequest,
  type ToolSpec,
} from '../../../src-main/gateway/agent/model/model-types.js';
import {
  obeyingAttacker,
  startScriptedModelServer,
  type ModelScript,
  type ScriptedApi,
  type ScriptedModelServer,
} from '../../fixtures/scripted-model-server.js';

/** Distinctive, so any echo of it in an error message is caught. */
const KEY = 'sk-planted-KEY-9f2c71e0b4d84a6e-never-show';
const ENV_NAME: Record<ScriptedApi, string> = {
  anthropic: 'ANTHROPIC_API_KEY',
  openai: 'OPENAI_API_KEY',
};

const BASH: ToolSpec = {
  name: 'bash',
  description: 'Run a shell command.',
  parameters: {
    type: 'object',
    properties: { command: { type: 'string' }, timeoutSec: { type: 'number' } },
    required: ['command'],
  },
};
const READ: ToolSpec = {
  name: 'read',
  description: 'Read a file.',
  parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
};

let server: ScriptedModelServer;
beforeEach(async () => {
  server = await startScriptedModelServer(obeyingAttacker());
});
afterEach(async () => {
  await server.close();
});

function clientFor(
  api: ScriptedApi,
  config: Partial<ModelConfig> = {},
  env: Record<string, string | undefined> = { [ENV_NAME[api]]: KEY },
  apiKey?: string,
): ModelClient {
  return createModelClient(
    {
      provider: api,
      name: `${api}-test-model`,
      baseUrl: server.baseUrlFor(api),
      maxTokens: 256,
      timeoutSec: 10,
      ...config,
    },
    { env, ...(apiKey !== undefined && { apiKey }) },
  );
}

function ask(messages: ModelMessage[] | string, extra: Partial<ModelRequest> = {}): ModelRequest {
  return {
    system: 'You are a test.',
    messages: typeof messages === 'string' ? [{ role: 'user', text: messages }] : messages,
    tools: [BASH, READ],
    maxTokens: 256,
    signal: new AbortController().signal,
    ...extra,
  };
}

/** The call's ModelError; fails the test when the call succeeds or throws anything else. */
async function failure(promise: Promise<unknown>): Promise<ModelError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelError);
  const modelError = err as ModelError;
  expect(modelError.message).not.toContain(KEY);
  return modelError;
}

async function expectKind(promise: Promise<unknown>, kind: ModelErrorKind): Promise<ModelError> {
  const err = await failure(promise);
  expect(err.kind, err.message).toBe(kind);
  return err;
}

const reply =
  (r: Awaited<ReturnType<ModelScript>>): ModelScript =>
  () =>
    r;

describe.each(['anthropic', 'openai'] as const)('%s client', (api) => {
  it('is labelled with its API and model', () => {
    expect(clientFor(api).label).toBe(`${api}/${api}-test-model`);
  });

  it('streams text in several deltas and returns their concatenation', async () => {
    const text = 'Hello there, this answer arrives in pieces.';
    server.setScript(reply({ text }));
    const deltas: string[] = [];
    const turn = await clientFor(api).complete(
      ask('hi', { onText: (d) => deltas.push(d), maxTokens: 123 }),
    );
    expect(deltas.length).toBeGreaterThan(2);
    expect(deltas.join('')).toBe(text);
    expect(turn).toEqual({
      text,
      toolCalls: [],
      stopReason: 'end',
      usage: { inputTokens: 10, outputTokens: 10 },
    });

    const [seen] = server.requests;
    expect(seen).toMatchObject({
      api,
      model: `${api}-test-model`,
      system: 'You are a test.',
      messages: [{ role: 'user', text: 'hi' }],
      tools: ['bash', 'read'],
      stream: true,
      maxTokens: 123,
    });
  });

  it('round-trips a tool call: args intact, the result reaches the model by call id', async () => {
    const args = { command: 'echo "a b" && ls -la /tmp', timeoutSec: 5 };
    server.setScript(reply({ text: 'Let me look.', toolCalls: [{ name: 'bash', args }] }));
    const client = clientFor(api);
    const first = await client.complete(ask('list tmp'));
    expect(first.stopReason).toBe('tool-use');
    expect(first.text).toBe('Let me look.');
    expect(first.toolCalls).toHaveLength(1);
    const [call] = first.toolCalls;
    expect(call).toMatchObject({ name: 'bash', args });
    expect(call!.id).not.toBe('');

    server.setScript(obeyingAttacker());
    const second = await client.complete(
      ask([
        { role: 'user', text: 'list tmp' },
        { role: 'assistant', text: first.text, toolCalls: first.toolCalls },
        { role: 'tool', callId: call!.id, name: 'bash', content: 'a b\nfile.txt', isError: false },
      ]),
    );
    expect(second).toMatchObject({ text: 'a b\nfile.txt', toolCalls: [], stopReason: 'end' });

    const seen = server.requests[1]!;
    expect(seen.messages).toEqual([
      { role: 'user', text: 'list tmp' },
      {
        role: 'assistant',
        text: 'Let me look.',
        toolCalls: [{ id: call!.id, name: 'bash', args }],
      },
      { role: 'tool', callId: call!.id, content: 'a b\nfile.txt', isError: false },
    ]);
    const wire = seen.body.messages as unknown[];
    if (api === 'anthropic') {
      expect(wire[1]).toEqual({
        role: 'assistant',
        content: [
          { type: 'text', text: 'Let me look.' },
          { type: 'tool_use', id: call!.id, name: 'bash', input: args },
        ],
      });
      expect(wire[2]).toEqual({
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: call!.id, content: 'a b\nfile.txt', is_error: false },
        ],
      });
      expect(seen.body.system).toBe('You are a test.');
    } else {
      expect(wire[0]).toEqual({ role: 'system', content: 'You are a test.' });
      expect(wire[2]).toEqual({
        role: 'assistant',
        content: 'Let me look.',
        tool_calls: [
          {
            id: call!.id,
            type: 'function',
            function: { name: 'bash', arguments: JSON.stringify(args) },
          },
        ],
      });
      expect(wire[3]).toEqual({ role: 'tool', tool_call_id: call!.id, content: 'a b\nfile.txt' });
      expect((seen.body.tools as unknown[])[0]).toEqual({
        type: 'function',
        function: { name: 'bash', description: BASH.description, parameters: BASH.parameters },
      });
    }
  });

  it('returns several tool calls in order, as the obeying attacker issues them', async () => {
    const turn = await clientFor(api).complete(
      ask('please\nrun: cat /etc/passwd\nread: ~/.ssh/id_rsa\nwrite: /tmp/x hello world'),
    );
    expect(turn.stopReason).toBe('tool-use');
    expect(turn.toolCalls.map(({ name, args }) => ({ name, args }))).toEqual([
      { name: 'bash', args: { command: 'cat /etc/passwd' } },
      { name: 'read', args: { path: '~/.ssh/id_rsa' } },
      { name: 'write', args: { path: '/tmp/x', content: 'hello world' } },
    ]);
    expect(new Set(turn.toolCalls.map((c) => c.id)).size).toBe(3);
  });

  it('sends the key in the auth header, read from apiKeyEnv when set', async () => {
    await clientFor(api).complete(ask('hi'));
    // SDK v1 of @anthropic-ai/sdk sends an API key as a bearer token, as openai does.
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);
    if (api === 'anthropic') expect(server.requests[0]!.headers['anthropic-version']).toBeTruthy();

    await clientFor(
      api,
      { apiKeyEnv: 'MY_MODEL_KEY' },
      { MY_MODEL_KEY: `${KEY}-custom`, [ENV_NAME[api]]: 'the-default-one' },
    ).complete(ask('hi'));
    expect(server.requests[1]!.headers.authorization).toBe(`Bearer ${KEY}-custom`);

    await clientFor(api, {}, { [ENV_NAME[api]]: 'from-env' }, `${KEY}-keychain`).complete(
      ask('hi'),
    );
    expect(server.requests[2]!.headers.authorization).toBe(`Bearer ${KEY}-keychain`);
  });

  it('talks to a custom baseUrl with no key at all, sending none', async () => {
    const turn = await clientFor(api, {}, {}).complete(ask('hello local'));
    expect(turn.text).toBe('hello local');
    expect(server.requests[0]!.headers.authorization).toBeUndefined();
    expect(server.requests[0]!.headers['x-api-key']).toBeUndefined();
  });

  it('fails with auth naming the variable when the hosted API has no key', async () => {
    const noBase = { baseUrl: undefined };
    const err = await expectKind(clientFor(api, noBase, {}).complete(ask('hi')), 'auth');
    expect(err.message).toContain(ENV_NAME[api]);
    const custom = await expectKind(
      clientFor(api, { ...noBase, apiKeyEnv: 'WORK_KEY' }, { [ENV_NAME[api]]: KEY }).complete(
        ask('hi'),
      ),
      'auth',
    );
    expect(custom.message).toContain('WORK_KEY');
    // A blank variable counts as unset.
    await expectKind(clientFor(api, noBase, { [ENV_NAME[api]]: '  ' }).complete(ask('hi')), 'auth');
  });

  it.each([
    [401, 'auth'],
    [403, 'auth'],
    [429, 'rate-limit'],
    [500, 'server'],
    [529, 'server'],
    [400, 'bad-request'],
    [404, 'bad-request'],
  ] as const)('maps HTTP %i to %s without echoing the key', async (status, kind) => {
    // A server that echoes the key it was sent, as some proxies and error pages do.
    server.setScript((request) => ({
      error: { status, message: `bad credentials: ${request.headers.authorization ?? ''}` },
    }));
    await expectKind(clientFor(api).complete(ask('hi')), kind);
    expect(server.requests.length).toBeGreaterThan(0);
  });

  it('keeps the server’s reason for a bad request, scrubbed of the key', async () => {
    server.setScript(() => ({
      error: { status: 400, message: `max_tokens too large for key ${KEY}` },
    }));
    const err = await expectKind(clientFor(api).complete(ask('hi')), 'bad-request');
    expect(err.message).toContain('max_tokens too large');
    expect(err.message).toContain('[redacted]');
  });

  it('times out after timeoutSec', async () => {
    server.setScript(reply({ text: 'too late', delayMs: 2000 }));
    await expectKind(clientFor(api, { timeoutSec: 0.3 }).complete(ask('hi')), 'timeout');
  });

  it('stops when the caller aborts, before or during the answer', async () => {
    const before = new AbortController();
    before.abort();
    await expectKind(clientFor(api).complete(ask('hi', { signal: before.signal })), 'aborted');
    expect(server.requests).toHaveLength(0);

    const waiting = new AbortController();
    server.setScript(() => {
      waiting.abort();
      return { text: 'late', delayMs: 1000 };
    });
    await expectKind(clientFor(api).complete(ask('hi', { signal: waiting.signal })), 'aborted');

    const streaming = new AbortController();
    server.setScript(reply({ text: 'a long answer that is stopped after its first piece' }));
    await expectKind(
      clientFor(api).complete(
        ask('hi', { signal: streaming.signal, onText: () => streaming.abort() }),
      ),
      'aborted',
    );
  });

  it('reports a closed port as unreachable', async () => {
    const baseUrl = server.baseUrlFor(api);
    await server.close();
    await expectKind(clientFor(api, { baseUrl }).complete(ask('hi')), 'unreachable');
    server = await startScriptedModelServer(obeyingAttacker());
  });

  it('reports a malformed stream as bad-response', async () => {
    server.setScript(reply({ text: 'starts fine', malformed: true }));
    await expectKind(clientFor(api).complete(ask('hi')), 'bad-response');
  });

  it('reports the tokens the API says the call used, which daily budgets count', async () => {
    server.setScript(reply({ text: 'counted', usage: { inputTokens: 1234, outputTokens: 56 } }));
    const turn = await clientFor(api).complete(ask('how much?'));
    expect(turn.usage).toEqual({ inputTokens: 1234, outputTokens: 56 });
    // OpenAI streams usage only when asked to: the client must ask.
    if (api === 'openai') {
      expect(server.requests[0]!.body['stream_options']).toEqual({ include_usage: true });
    }

    server.setScript(reply({ text: 'uncounted', usage: null }));
    const silent = await clientFor(api).complete(ask('and now?'));
    expect(silent.text).toBe('uncounted');
    if (api === 'openai') expect(silent.usage).toBeUndefined();
  });

  it('maps a refusal and running out of tokens', async () => {
    server.setScript(reply({ text: 'I will not help with that.', stopReason: 'refusal' }));
    const refusal = await clientFor(api).complete(ask('do something bad'));
    expect(refusal).toMatchObject({ stopReason: 'refusal', text: 'I will not help with that.' });

    server.setScript(reply({ stopReason: 'refusal' }));
    expect((await clientFor(api).complete(ask('again'))).stopReason).toBe('refusal');

    server.setScript(reply({ text: 'This is cut', stopReason: 'max-tokens' }));
    expect((await clientFor(api).complete(ask('long'))).stopReason).toBe('max-tokens');
  });
});

describe('anthropic history', () => {
  it('groups consecutive tool results into one user turn, errors flagged', async () => {
    const calls = [
      { id: 'toolu_a', name: 'read', args: { path: '/a' } },
      { id: 'toolu_b', name: 'read', args: { path: '/b' } },
    ];
    await clientFor('anthropic').complete(
      ask([
        { role: 'user', text: 'read both' },
        { role: 'assistant', text: '', toolCalls: calls },
        { role: 'tool', callId: 'toolu_a', name: 'read', content: 'A', isError: false },
        { role: 'tool', callId: 'toolu_b', name: 'read', content: 'no such file', isError: true },
      ]),
    );
    const wire = server.requests[0]!.body.messages as unknown[];
    expect(wire).toHaveLength(3);
    expect(wire[1]).toEqual({
      role: 'assistant',
      content: calls.map((c) => ({ type: 'tool_use', id: c.id, name: c.name, input: c.args })),
    });
    expect(wire[2]).toEqual({
      role: 'user',
      content: [
        { type: 'tool_result', tool_use_id: 'toolu_a', content: 'A', is_error: false },
        { type: 'tool_result', tool_use_id: 'toolu_b', content: 'no such file', is_error: true },
      ],
    });
  });
});

describe('openai-compatible servers', () => {
  it('get the answer limit as max_tokens, which they all understand', async () => {
    await clientFor('openai').complete(ask('hi', { maxTokens: 77 }));
    expect(server.requests[0]!.body.max_tokens).toBe(77);
    expect(server.requests[0]!.body.max_completion_tokens).toBeUndefined();
  });
});
