import { describe, expect, it } from 'vitest';
import { offeredTools, type AgentConfig } from '../../src-shared/config/agent-schema.js';
import { ConfigSchema } from '../../src-shared/config/schema.js';
import { describeConfigIssues } from '../../src-shared/config/describe-issues.js';

function agent(input: Record<string, unknown>): AgentConfig {
  return ConfigSchema.parse({ agent: input }).agent;
}

function errors(input: unknown): string[] {
  const parsed = ConfigSchema.safeParse(input);
  return parsed.success ? [] : describeConfigIssues(parsed.error);
}

describe('agent config', () => {
  it('defaults to the hardened choices', () => {
    const a = agent({});
    expect(a.model).toBeUndefined();
    expect(a.sandbox.mode).toBe('non-main');
    expect(a.elevated.enabled).toBe(false);
    expect(a.elevated.groups).toBe(false);
    expect(a.readOnlyMode).toBe(false);
    expect(offeredTools(a, { sandboxed: true })).toEqual(['bash', 'read', 'write', 'edit']);
  });

  it('deny wins over allow', () => {
    const a = agent({ tools: { allow: ['bash', 'read'], deny: ['bash'] } });
    expect(offeredTools(a, { sandboxed: true })).toEqual(['read']);
  });

  it('read-only mode: no shell anywhere, writes only inside a sandbox', () => {
    const a = agent({ readOnlyMode: true });
    expect(offeredTools(a, { sandboxed: true })).toEqual(['read', 'write', 'edit']);
    expect(offeredTools(a, { sandboxed: false })).toEqual(['read']);
  });

  it.each([
    [{ agent: { tools: { deny: ['browser'] } } }, 'agent.tools.deny[0]'],
    [{ agent: { model: { provider: 'gemini', name: 'x' } } }, 'agent.model.provider'],
    [
      { agent: { model: { provider: 'openai', name: 'x', baseUrl: 'file:///etc' } } },
      'baseUrl must be an http(s) URL',
    ],
    [
      { agent: { model: { provider: 'openai', name: 'x', apiKeyEnv: 'not a var' } } },
      'agent.model.apiKeyEnv',
    ],
    [{ agent: { elevated: { allowFrom: { telegram: ['@friend'] } } } }, 'not a Telegram user id'],
    [{ agent: { elevated: { groups: 'yes' } } }, 'agent.elevated.groups'],
    [{ agent: { sandbox: { mode: 'sometimes' } } }, 'agent.sandbox.mode'],
    [{ agent: { modle: {} } }, 'modle'],
    [{ session: { idleMinutes: 0 } }, 'session.idleMinutes'],
    [{ logging: { file: 'relative.log' } }, 'logging.file must be an absolute path'],
  ])('rejects %j, naming what was wrong', (input, expected) => {
    expect(errors(input).join('\n')).toContain(expected);
  });
});
