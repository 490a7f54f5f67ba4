import { describe, expect, it } from 'vitest';
import { describeConfigIssues } from '../../src-shared/config/describe-issues.js';
import { ConfigSchema } from '../../src-shared/config/schema.js';

function errors(input: unknown): string[] {
  const parsed = ConfigSchema.safeParse(input);
  return parsed.success ? [] : describeConfigIssues(parsed.error);
}

describe('limits config', () => {
  it('limits everyone but the owner by default', () => {
    expect(ConfigSchema.parse({}).limits).toEqual({
      maxInboundChars: 16_000,
      maxQueuedPerSession: 10,
      dailyTokens: null,
      sender: { messagesPerMinute: 20, burst: 5, dailyTokens: 200_000 },
      owner: { messagesPerMinute: null, burst: 5, dailyTokens: null },
    });
  });

  it('takes null to switch a limit off, and the owner may limit themselves', () => {
    const limits = ConfigSchema.parse({
      limits: {
        dailyTokens: 5_000_000,
        sender: { messagesPerMinute: null, dailyTokens: null },
        owner: { messagesPerMinute: 60, burst: 20, dailyTokens: 1_000_000 },
      },
    }).limits;
    expect(limits.sender).toEqual({ messagesPerMinute: null, burst: 5, dailyTokens: null });
    expect(limits.owner).toEqual({ messagesPerMinute: 60, burst: 20, dailyTokens: 1_000_000 });
    expect(limits.dailyTokens).toBe(5_000_000);
  });

  it.each([
    [
      { limits: { sender: { burst: 0 } } },
      'limits.sender.burst: must be a whole number of messages from 1 to 1,000',
    ],
    [
      { limits: { sender: { messagesPerMinute: 2.5 } } },
      'limits.sender.messagesPerMinute: must be a whole number of messages per minute from 1 to 10,000',
    ],
    [{ limits: { dailyTokens: '1M' } }, 'limits.dailyTokens: must be a whole number of tokens'],
    [
      { limits: { maxInboundChars: 10 } },
      'limits.maxInboundChars: must be a whole number of characters from 100',
    ],
    [{ limits: { maxQueuedPerSession: -1 } }, 'limits.maxQueuedPerSession: must be a whole number'],
    [{ limits: { perSender: {} } }, 'unknown key limits.perSender'],
    [{ limits: { owner: { tokens: 5 } } }, 'unknown key limits.owner.tokens'],
  ])('names what is wrong in %j', (input, message) => {
    expect(errors(input).join('\n')).toContain(message);
  });
});
