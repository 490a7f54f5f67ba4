import { describe, expect, it } from 'vitest';
import type { UsageReport } from '../../src-shared/domain/usage.js';
import {
  GLOBAL_BUDGET_TEXT,
  SENDER_BUDGET_TEXT,
} from '../../src-main/gateway/limits/inbound-limits.js';
import {
  LIMITS_FRIEND as FRIEND,
  LIMITS_OWNER as OWNER,
  lastUser,
  useLimitsChildren,
  type LimitsChild,
  type LimitsChildOptions,
} from '../helpers/limits-child.js';
import { waitFor } from '../helpers/wait.js';

const OTHER_FRIEND = 910201;
/** Ten to midnight on the gateway's (file) clock. */
const LATE = new Date(2031, 0, 15, 23, 50, 0);
/** Just past the next local midnight. */
const AFTER_MIDNIGHT = new Date(2031, 0, 16, 0, 0, 5);
/** What every scripted answer reports it used. */
const CALL_TOKENS = 500;

/**
 * Issue 10, item 4: daily model-token budgets, counted from the usage the model API reports
 * (the scripted server reports 400 in and 100 out per call), per sender and for everyone. The
 * real gateway child under a supervisor, Telegram through the fake Bot API, and the gateway's
 * clock in a file the test moves past midnight.
 */
describe('daily token budgets', () => {
  const start = useLimitsChildren();
  const child = (limits: LimitsChildOptions['limits']) =>
    start({
      script: (request) => ({
        text: `answer to ${lastUser(request)}`,
        usage: { inputTokens: 400, outputTokens: 100 },
      }),
      limits,
      at: LATE,
      allowFrom: [FRIEND, OTHER_FRIEND],
    });

  const ownerNotices = (c: LimitsChild): string[] =>
    c.g.supervisor.relay
      .consoleHistory()
      .filter((m) => m.role === 'assistant')
      .map((m) => m.text);

  it('stops a sender, then everyone but the owner, with one reply, one event and one owner notice each; midnight resets', async () => {
    const c = await child({ sender: { dailyTokens: 1000 }, dailyTokens: 1500 });
    const { g } = c;
    const friend = `telegram:${FRIEND}`;

    expect(await g.dm(FRIEND, 'a1')).toEqual(['answer to a1']);
    expect(await g.dm(FRIEND, 'a2')).toEqual(['answer to a2']);
    // 1,000 tokens used: the next message gets no model call, and one short reply.
    expect(await g.dm(FRIEND, 'a3')).toEqual([SENDER_BUDGET_TEXT]);
    g.push(FRIEND, [
      { from: FRIEND, text: 'a4' },
      { from: FRIEND, text: 'a5' },
    ]);
    await waitFor('a4 and a5 counted as dropped', () => c.usageRow(friend, LATE)?.dropped === 3);
    expect(g.sentTo(FRIEND)).toEqual(['answer to a1', 'answer to a2', SENDER_BUDGET_TEXT]);
    expect(c.callsWith('a')).toEqual(['a1', 'a2']);

    const budgetEvents = (key: string) =>
      g.transcript(key).filter((e) => e.kind === 'access' && e.data?.['limit'] === 'daily-tokens');
    const [event, ...more] = budgetEvents(`dm:telegram:${FRIEND}`);
    expect(more).toEqual([]);
    expect(event?.data).toMatchObject({ scope: 'sender', used: 1000, budget: 1000 });
    await waitFor('the owner told', () =>
      ownerNotices(c).some((t) => t.includes(`(${friend}) used up their daily token budget`)),
    );

    // Everyone together: 1,500. The other friend's first answer takes the day to it.
    expect(await g.dm(OTHER_FRIEND, 'b1')).toEqual(['answer to b1']);
    expect(await g.dm(OTHER_FRIEND, 'b2')).toEqual([GLOBAL_BUDGET_TEXT]);
    await waitFor('the owner told about everyone', () =>
      ownerNotices(c).some((t) => t.includes('token budget for everyone')),
    );
    // The owner set no limit for themselves: still answered.
    expect(await g.dm(OWNER, 'o1')).toEqual(['answer to o1']);
    expect(
      ownerNotices(c).filter((t) => t.includes('daily token budget') || t.includes('everyone')),
    ).toHaveLength(2);

    const today = JSON.parse((await c.cli(['usage', '--json'])).stdout) as UsageReport;
    expect(today.total).toMatchObject({
      tokens: 4 * CALL_TOKENS,
      dailyTokens: 1500,
      exhausted: true,
    });
    expect(today.senders.find((s) => s.sender === friend)).toMatchObject({
      tokens: 1000,
      exhausted: true,
      messages: 5,
      dropped: 3,
    });
    const human = (await c.cli(['usage'])).stdout;
    expect(human).toContain('in 10 min');
    expect(human).toMatch(new RegExp(`\\(${friend}\\)\\s+1,000 of 1,000 USED UP`));

    // Past local midnight on the gateway's clock, nothing waited: a new day, a new budget.
    c.setClock(AFTER_MIDNIGHT);
    expect(await g.dm(FRIEND, 'a6')).toEqual(['answer to a6']);
    expect(await g.dm(OTHER_FRIEND, 'b3')).toEqual(['answer to b3']);
    expect(c.usageRow(friend, AFTER_MIDNIGHT)).toMatchObject({ messages: 1, modelCalls: 1 });
    const tomorrow = JSON.parse((await c.cli(['usage', '--json'])).stdout) as UsageReport;
    expect(tomorrow.day).toBe('2031-01-16');
    expect(tomorrow.total).toMatchObject({ tokens: 2 * CALL_TOKENS, exhausted: false });
    await waitFor('the status API on the new day', () =>
      g.supervisor.snapshot().usage?.day === '2031-01-16' ? true : null,
    );
  });

  it('limits the owner only when they set a limit for themselves', async () => {
    const c = await child({ owner: { dailyTokens: 1000 } });
    const { g } = c;
    expect(await g.dm(OWNER, 'o1')).toEqual(['answer to o1']);
    expect(await g.dm(OWNER, 'o2')).toEqual(['answer to o2']);
    expect(await g.dm(OWNER, 'o3')).toEqual([SENDER_BUDGET_TEXT]);
    await waitFor('the owner told about their own budget', () =>
      ownerNotices(c).some((t) => t.includes('Your own daily token budget')),
    );
    expect(c.callsWith('o')).toEqual(['o1', 'o2']);
    // Friends have their own (default) budget, untouched by the owner's.
    expect(await g.dm(FRIEND, 'f1')).toEqual(['answer to f1']);
  });
});
