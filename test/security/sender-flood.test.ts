import { describe, expect, it } from 'vitest';
import type { ConfigInput } from '../../src-shared/config/schema.js';
import type { UsageReport } from '../../src-shared/domain/usage.js';
import {
  QUEUE_NOTICE_TEXT,
  RATE_NOTICE_TEXT,
} from '../../src-main/gateway/limits/inbound-limits.js';
import type { ModelScript } from '../fixtures/scripted-model-server.js';
import {
  LIMITS_FRIEND as FRIEND,
  LIMITS_OWNER as OWNER,
  lastUser,
  useLimitsChildren,
} from '../helpers/limits-child.js';
import { waitFor } from '../helpers/wait.js';

const STRANGERS = [910301, 910302, 910303, 910304];
/** The pending pairing requests a provider keeps: a further stranger gets no reply. */
const PAIRING_CAP = 3;
/** Noon on a fixed day, on the gateway's (file) clock: a frozen clock refills no bucket. */
const NOON = new Date(2031, 0, 15, 12, 0, 0);

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

/**
 * Issue 10, item 4: what one sender may cost. A friend floods the bot through the fake Bot API
 * into the real gateway child under a supervisor; the scripted model server counts what reaches
 * a model. The gateway's limits run on a clock file the test moves, so nothing here waits for
 * time to pass.
 */
describe('a flood from one sender', () => {
  const start = useLimitsChildren();
  const child = (script: ModelScript, limits: ConfigInput['limits'] = {}) =>
    start({ script, limits, at: NOON });

  it('costs at most the bucket in model calls, with one notice; the owner and strangers are as before', async () => {
    const c = await child((request) => ({ text: `answer to ${lastUser(request)}` }));
    const { g } = c;
    const friend = `telegram:${FRIEND}`;

    g.push(
      FRIEND,
      range(300).map((i) => ({ from: FRIEND, text: `friend ${i}` })),
    );
    for (const stranger of STRANGERS) {
      g.push(
        stranger,
        range(20).map((i) => ({ from: stranger, text: `stranger ${stranger} ${i}` })),
      );
    }
    // The owner writes in a burst too, beyond any bucket: never limited unless they say so.
    g.push(
      OWNER,
      range(10).map((i) => ({ from: OWNER, text: `owner ${i}` })),
    );

    await waitFor('all 300 of the friend’s messages counted', () => {
      const row = c.usageRow(friend, NOON);
      return row?.messages === 300 && row.dropped === 295;
    });
    // The five let through are answered in order, and the first dropped one got the notice.
    await waitFor('five answers and a notice', () => g.sentTo(FRIEND).length >= 6, 60_000);
    const toFriend = g.sentTo(FRIEND);
    expect(toFriend.filter((t) => t === RATE_NOTICE_TEXT)).toHaveLength(1);
    expect(toFriend.filter((t) => t !== RATE_NOTICE_TEXT)).toEqual(
      range(5).map((i) => `answer to friend ${i}`),
    );
    expect(c.callsWith('friend ')).toEqual(range(5).map((i) => `friend ${i}`));

    // The owner's chat also hears of each stranger's pairing request (one notice per code).
    const isPairingNotice = (t: string): boolean => t.startsWith('Pairing request on telegram ');
    const answersToOwner = (): string[] => g.sentTo(OWNER).filter((t) => !isPairingNotice(t));
    await waitFor('the owner’s ten answers', () => answersToOwner().length >= 10, 60_000);
    expect(answersToOwner()).toEqual(range(10).map((i) => `answer to owner ${i}`));

    await waitFor('pairing replies up to the cap', () =>
      STRANGERS.every((s) => g.sentTo(s).length <= 1) &&
      STRANGERS.filter((s) => g.sentTo(s).length === 1).length === PAIRING_CAP
        ? true
        : null,
    );
    expect(c.callsWith('stranger ')).toEqual([]);
    await waitFor('a notice to the owner for each pairing code', () =>
      g.sentTo(OWNER).filter(isPairingNotice).length >= PAIRING_CAP ? true : null,
    );
    expect(g.sentTo(OWNER).filter(isPairingNotice)).toHaveLength(PAIRING_CAP);

    // One access event records the drops in the friend's transcript, not one per message.
    const drops = g
      .transcript(`dm:telegram:${FRIEND}`)
      .filter((e) => e.kind === 'access' && e.data?.['limit'] === 'rate');
    expect(drops).toHaveLength(1);

    // A minute later (on the gateway's clock) the bucket is full again.
    c.setClock(new Date(NOON.getTime() + 60_000));
    expect(await g.dm(FRIEND, 'friend again')).toEqual(['answer to friend again']);

    // `clawdbot usage` and the status API show the same counts.
    const cli = await c.cli(['usage', '--json']);
    expect(cli.code).toBe(0);
    const report = JSON.parse(cli.stdout) as UsageReport;
    expect(report.senders.find((s) => s.sender === friend)).toMatchObject({
      messages: 301,
      dropped: 295,
      modelCalls: 6,
      tokens: 6 * 20,
      dailyTokens: 200_000,
      exhausted: false,
    });
    expect(report.senders.find((s) => s.owner)).toMatchObject({
      messages: 10,
      dropped: 0,
      modelCalls: 10,
      dailyTokens: null,
    });
    expect(report.limits.sender).toEqual({ messagesPerMinute: 20, burst: 5, dailyTokens: 200_000 });
    await waitFor('the status API to carry the same numbers', () => {
      const usage = g.supervisor.snapshot().usage;
      return JSON.stringify(usage?.senders) === JSON.stringify(report.senders);
    });

    const human = await c.cli(['usage']);
    expect(human.stdout).toContain('Today (2031-01-15)');
    expect(human.stdout).toMatch(
      new RegExp(`\\(${friend}\\)\\s+120 of 200,000\\s+6\\s+301\\s+295`),
    );
  });

  it('bounds what a session holds waiting: the excess is dropped with one notice', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const c = await child(
      async (request) => {
        // The first answer is held until every message has arrived, so the queue fills up.
        await held;
        return { text: `answer to ${lastUser(request)}` };
      },
      { maxQueuedPerSession: 3, sender: { burst: 50 } },
    );
    const { g } = c;
    g.push(
      FRIEND,
      range(20).map((i) => ({ from: FRIEND, text: `queued ${i}` })),
    );
    await waitFor('all 20 counted', () => {
      const row = c.usageRow(`telegram:${FRIEND}`, NOON);
      // One being answered and three waiting are let through; the other sixteen are dropped.
      return row?.messages === 20 && row.dropped === 16;
    });
    await waitFor('the queue notice', () => g.sentTo(FRIEND).includes(QUEUE_NOTICE_TEXT));
    release();
    await waitFor('four answers', () => g.sentTo(FRIEND).length >= 5, 60_000);
    expect(g.sentTo(FRIEND)).toEqual([
      QUEUE_NOTICE_TEXT,
      ...range(4).map((i) => `answer to queued ${i}`),
    ]);
    expect(c.callsWith('queued ')).toEqual(range(4).map((i) => `queued ${i}`));
  });

  it('cuts an overlong message, with a marker, before the model or the transcript sees it', async () => {
    const c = await child((request) => ({ text: `got ${lastUser(request).length}` }), {
      maxInboundChars: 1000,
    });
    const long = `${'a'.repeat(999)}😀${'tail '.repeat(4000)}END`;
    const [answer] = await c.g.dm(FRIEND, long);
    const seen = lastUser(c.model.requests[0]!);
    // The emoji's two halves straddle the limit: it goes whole, never half.
    expect(seen.startsWith(`${'a'.repeat(999)}\n[… `)).toBe(true);
    expect(seen).toContain(`${(long.length - 999).toLocaleString('en-US')} more characters cut`);
    expect(seen).not.toContain('END');
    expect(answer).toBe(`got ${seen.length}`);
    const inbound = c.g.transcript(`dm:telegram:${FRIEND}`).filter((e) => e.kind === 'inbound');
    expect(inbound.map((e) => e.text)).toEqual([seen]);
  });
});
