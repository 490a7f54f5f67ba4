import { describe, expect, it } from 'vitest';
import { createAccessStore } from '../../src-main/access/access-store.js';
import { SendFailure } from '../../src-main/gateway/outbound/outbound-channel.js';
import { OUTBOX_RETRY_DELAYS_MS } from '../../src-main/store/outbox-repo.js';
import { useGatewayHarness } from '../helpers/gateway-harness.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

describe('queued messages (approval notices and replies) on an injected clock', () => {
  const newStateDir = useTempStateDirs();
  const harness = useGatewayHarness();

  function setup() {
    let clock = 1_000_000;
    const h = harness(newStateDir(), { now: () => clock });
    const store = createAccessStore(h.db);
    const sent: string[] = [];
    let failure: Error | null = new Error('ETIMEDOUT');
    h.gateway.outbound.registerChannel({
      provider: 'telegram',
      send: (_chatId, text) =>
        failure ? Promise.reject(failure) : Promise.resolve(void sent.push(text)),
    });
    const flush = () => h.gateway.outbound.flush();
    return {
      h,
      store,
      sent,
      flush,
      advance: (ms: number) => (clock += ms),
      now: () => clock,
      failWith: (error: Error | null) => (failure = error),
    };
  }

  it('survive a transient send failure: retried with backoff, then delivered once', async () => {
    const t = setup();
    t.store.outbox.enqueue(
      { provider: 'telegram', recipientId: '42', text: 'you were approved' },
      t.now(),
    );
    await t.flush();
    expect(t.sent).toEqual([]);
    // Not due yet: a flush now does not hammer the provider.
    expect(t.store.outbox.pending(['telegram'], 0, t.now())).toEqual([]);
    t.failWith(null);
    await t.flush();
    expect(t.sent).toEqual([]);
    t.advance(OUTBOX_RETRY_DELAYS_MS[0]);
    await t.flush();
    expect(t.sent).toEqual(['you were approved']);
    await t.flush();
    expect(t.sent).toEqual(['you were approved']);
  });

  it('are given up after the last retry, not retried forever', async () => {
    const t = setup();
    t.store.outbox.enqueue(
      { provider: 'telegram', recipientId: '42', text: 'you were approved' },
      t.now(),
    );
    await t.flush();
    for (const delay of OUTBOX_RETRY_DELAYS_MS) {
      t.advance(delay);
      await t.flush();
    }
    expect(t.store.outbox.pending(['telegram'], 0)).toEqual([]);
    const row = t.h.db.prepare('SELECT attempts, error FROM outbox').get() as {
      attempts: number;
      error: string;
    };
    expect(row).toEqual({ attempts: OUTBOX_RETRY_DELAYS_MS.length + 1, error: 'ETIMEDOUT' });
  });

  it('wait as long as the platform asked, and are given up at once when it refuses for good', async () => {
    const t = setup();
    t.failWith(new SendFailure('Too Many Requests: retry after 7', 'transient', 7_000));
    t.store.outbox.enqueue({ provider: 'telegram', recipientId: '42', text: 'first' }, t.now());
    await t.flush();
    t.failWith(null);
    t.advance(OUTBOX_RETRY_DELAYS_MS[0]);
    await t.flush();
    expect(t.sent).toEqual([]);
    t.advance(7_000 - OUTBOX_RETRY_DELAYS_MS[0]);
    await t.flush();
    expect(t.sent).toEqual(['first']);

    t.failWith(new SendFailure('Forbidden: bot was blocked by the user', 'permanent'));
    t.store.outbox.enqueue({ provider: 'telegram', recipientId: '43', text: 'blocked' }, t.now());
    await t.flush();
    const row = t.h.db
      .prepare("SELECT attempts, error FROM outbox WHERE recipient_id = '43'")
      .get() as { attempts: number; error: string };
    expect(row).toEqual({ attempts: 1, error: 'Forbidden: bot was blocked by the user' });
  });

  it('keep each chat’s order behind a retry; other chats go on', async () => {
    const t = setup();
    t.store.outbox.enqueue({ provider: 'telegram', recipientId: '42', text: 'a1' }, t.now());
    await t.flush();
    t.failWith(null);
    t.store.outbox.enqueue({ provider: 'telegram', recipientId: '42', text: 'a2' }, t.now());
    t.store.outbox.enqueue({ provider: 'telegram', recipientId: '7', text: 'b1' }, t.now());
    await t.flush();
    expect(t.sent).toEqual(['b1']);
    t.advance(OUTBOX_RETRY_DELAYS_MS[0]);
    await t.flush();
    expect(t.sent).toEqual(['b1', 'a1', 'a2']);
  });
});
