import { beforeEach, describe, expect, it } from 'vitest';
import { runAgentTurn, type AgentStep } from '../../../src-main/gateway/agent/agent-loop.js';
import {
  ModelError,
  type ModelClient,
  type ModelRequest,
  type ModelTurn,
} from '../../../src-main/gateway/agent/model/model-types.js';
import { hostRunner } from '../../../src-main/gateway/agent/tools/host-runner.js';
import { runTool } from '../../../src-main/gateway/agent/tools/run-tool.js';
import { ToolUnavailableError } from '../../../src-main/gateway/agent/tools/tool-runner.js';
import { mkdirSync } from 'node:fs';
import { useTempStateDirs } from '../../helpers/temp-state.js';

/** A model that plays back a list of turns and records what it was sent. */
function scriptedModel(turns: (ModelTurn | ModelError)[]): ModelClient & { seen: ModelRequest[] } {
  const seen: ModelRequest[] = [];
  return {
    label: 'test/scripted',
    seen,
    complete(request) {
      seen.push({ ...request, messages: [...request.messages] });
      const next = turns.shift();
      if (!next) throw new Error('the script ran out of turns');
      if (next instanceof ModelError) return Promise.reject(next);
      if (next.text) request.onText?.(next.text);
      return Promise.resolve(next);
    },
  };
}

const bashCall = (id: string, command: string) => ({
  text: '',
  toolCalls: [{ id, name: 'bash', args: { command } }],
  stopReason: 'tool-use' as const,
});

describe('the agent loop', () => {
  const newDir = useTempStateDirs();
  const dir = { path: '' };
  beforeEach(() => {
    dir.path = newDir();
    mkdirSync(dir.path, { recursive: true });
  });

  function turn(
    model: ModelClient,
    options: {
      maxToolSteps?: number;
      maxOutputBytes?: number;
      budget?: Pick<Parameters<typeof runAgentTurn>[0], 'mayCallModel' | 'onUsage'>;
    } = {},
  ) {
    const steps: AgentStep[] = [];
    const runner = hostRunner({ cwd: dir.path, env: { PATH: process.env['PATH'] } });
    const promise = runAgentTurn({
      model,
      system: 'test',
      messages: [{ role: 'user', text: 'hello' }],
      tools: [],
      maxToolSteps: options.maxToolSteps ?? 8,
      maxTokens: 100,
      signal: new AbortController().signal,
      onStep: (step) => steps.push(step),
      ...options.budget,
      runTool: (call) =>
        runTool(call, {
          offered: ['bash', 'read', 'write', 'edit'],
          runner,
          elevated: null,
          timeoutSec: 5,
          maxOutputBytes: options.maxOutputBytes ?? 4096,
          signal: new AbortController().signal,
        }),
    });
    return { steps, promise };
  }

  it('counts every model call and asks the budget before each one, mid-turn too', async () => {
    const model = scriptedModel([
      { ...bashCall('c1', 'echo one'), usage: { inputTokens: 950, outputTokens: 40 } },
      {
        text: '',
        toolCalls: [{ id: 'c2', name: 'bash', args: { command: 'echo 2' } }],
        stopReason: 'tool-use',
      },
      { text: 'never asked for', toolCalls: [], stopReason: 'end' },
    ]);
    const counted: { tokens: number; estimated: boolean }[] = [];
    const budget = 1000;
    const used = () => counted.reduce((sum, c) => sum + c.tokens, 0);
    const { steps, promise } = turn(model, {
      budget: {
        mayCallModel: () => used() < budget,
        onUsage: (usage, estimated) =>
          counted.push({ tokens: usage.inputTokens + usage.outputTokens, estimated }),
      },
    });
    expect(await promise).toEqual({ kind: 'over-budget', steps: 2, modelCalls: 2 });
    // The first call's usage as reported; the second reported none, so it was estimated.
    expect(counted[0]).toEqual({ tokens: 990, estimated: false });
    expect(counted[1]!.estimated).toBe(true);
    expect(counted[1]!.tokens).toBeGreaterThan(10);
    expect(model.seen).toHaveLength(2);
    expect(steps.filter((s) => s.kind === 'tool-result')).toHaveLength(2);

    const none = scriptedModel([{ text: 'unreachable', toolCalls: [], stopReason: 'end' }]);
    const refused = turn(none, { budget: { mayCallModel: () => false } });
    expect(await refused.promise).toEqual({ kind: 'over-budget', steps: 0, modelCalls: 0 });
    expect(none.seen).toEqual([]);
  });

  it('runs the tools the model asks for and feeds the results back until it answers', async () => {
    const model = scriptedModel([
      bashCall('c1', 'echo from-the-tool'),
      { text: 'done', toolCalls: [], stopReason: 'end' },
    ]);
    const { steps, promise } = turn(model);
    const outcome = await promise;
    expect(outcome).toMatchObject({ kind: 'reply', text: 'done', steps: 1 });
    const second = model.seen[1]!.messages;
    expect(second.at(-2)).toMatchObject({ role: 'assistant', toolCalls: [{ id: 'c1' }] });
    expect(second.at(-1)).toMatchObject({ role: 'tool', callId: 'c1', isError: false });
    expect((second.at(-1) as { content: string }).content).toContain('from-the-tool');
    expect(steps.map((s) => s.kind)).toEqual(['tool-call', 'tool-result', 'assistant']);
  });

  it('stops at the step limit without running the call beyond it', async () => {
    const model = scriptedModel([
      bashCall('c1', 'touch one'),
      bashCall('c2', 'touch two'),
      bashCall('c3', 'touch three'),
    ]);
    const { steps, promise } = turn(model, { maxToolSteps: 2 });
    const outcome = await promise;
    expect(outcome.kind).toBe('step-limit');
    expect(outcome.kind === 'step-limit' && outcome.text).toContain('2 tool steps');
    expect(steps.filter((s) => s.kind === 'tool-call')).toHaveLength(2);
    const { existsSync } = await import('node:fs');
    expect(existsSync(`${dir.path}/two`)).toBe(true);
    expect(existsSync(`${dir.path}/three`)).toBe(false);
  });

  it('keeps the head and tail of long tool output with a marker between', async () => {
    const model = scriptedModel([
      bashCall('c1', 'echo START; seq 1 20000; echo END'),
      { text: 'ok', toolCalls: [], stopReason: 'end' },
    ]);
    const { promise } = turn(model, { maxOutputBytes: 1024 });
    await promise;
    const result = model.seen[1]!.messages.at(-1) as { content: string };
    expect(Buffer.byteLength(result.content)).toBeLessThanOrEqual(1024 + 100);
    expect(result.content).toContain('START');
    expect(result.content).toContain('END');
    expect(result.content).toMatch(/bytes truncated/);
  });

  it('turns a model error into a short reply instead of throwing', async () => {
    const model = scriptedModel([
      new ModelError('rate-limit', 'the model is rate limited; try again later'),
    ]);
    const outcome = await turn(model).promise;
    expect(outcome.kind).toBe('model-error');
    expect(outcome.kind === 'model-error' && outcome.text).toContain('rate limited');
  });

  it('tells the model about bad arguments and unknown tools instead of running anything', async () => {
    const model = scriptedModel([
      {
        text: '',
        toolCalls: [{ id: 'a', name: 'bash', args: { cmd: 'ls' } }],
        stopReason: 'tool-use',
      },
      { text: '', toolCalls: [{ id: 'b', name: 'browser', args: {} }], stopReason: 'tool-use' },
      { text: 'gave up', toolCalls: [], stopReason: 'end' },
    ]);
    const outcome = await turn(model).promise;
    expect(outcome.kind).toBe('reply');
    const bad = model.seen[1]!.messages.at(-1) as { content: string; isError: boolean };
    expect(bad.isError).toBe(true);
    expect(bad.content).toMatch(/invalid arguments for bash: .*command/);
    const unknown = model.seen[2]!.messages.at(-1) as { content: string; isError: boolean };
    expect(unknown.content).toContain('"browser" is not available');
  });

  it('ends the turn when tools cannot run, closes the call as refused, and says nothing ran elsewhere', async () => {
    const model = scriptedModel([bashCall('c1', 'ls')]);
    const steps: AgentStep[] = [];
    const outcome = await runAgentTurn({
      model,
      system: 's',
      messages: [{ role: 'user', text: 'x' }],
      tools: [],
      maxToolSteps: 4,
      maxTokens: 10,
      signal: new AbortController().signal,
      onStep: (step) => steps.push(step),
      runTool: () => Promise.reject(new ToolUnavailableError('Docker is not reachable')),
    });
    expect(outcome.kind).toBe('tools-unavailable');
    // The call is not left open: its result says it was refused, in the sandbox, never run.
    expect(steps.map((s) => s.kind)).toEqual(['tool-call', 'tool-result']);
    expect(steps[1]).toMatchObject({
      kind: 'tool-result',
      result: { ok: false, status: 'refused', where: 'sandbox' },
    });
    expect(steps[1]?.kind === 'tool-result' && steps[1].result.content).toContain(
      'Docker is not reachable',
    );
    expect(outcome.kind === 'tools-unavailable' && outcome.text).toMatch(
      /Docker is not reachable.*Nothing was run anywhere else/s,
    );
  });

  it('reports a refusal as the model worded it', async () => {
    const model = scriptedModel([
      { text: 'I will not do that.', toolCalls: [], stopReason: 'refusal' },
    ]);
    expect(await turn(model).promise).toMatchObject({
      kind: 'refusal',
      text: 'I will not do that.',
    });
  });

  it('kills a command at its timeout', async () => {
    const model = scriptedModel([
      {
        text: '',
        toolCalls: [{ id: 't', name: 'bash', args: { command: 'sleep 30', timeoutSec: 1 } }],
        stopReason: 'tool-use',
      },
      { text: 'ok', toolCalls: [], stopReason: 'end' },
    ]);
    await turn(model).promise;
    const result = model.seen[1]!.messages.at(-1) as { content: string; isError: boolean };
    expect(result.isError).toBe(true);
    expect(result.content).toContain('timeout');
  });
});
