import { describe, expect, it } from 'vitest';
import { createAccessStore } from '../../src-main/access/access-store.js';
import { OUTBOX_RETRY_DELAYS_MS } from '../../src-main/store/outbox-repo.js';
import { useCoreHarness } from '../helpers/gateway-core.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

describe('queued messages (approval notices)', () => {
  const newStateDir = useTempStateDirs();
  const harness = useCoreHarness();

  function setup() {
    let clock = 1_000_000;
    const h = harness(newStateDir(), { now: () => clock });
    const store = createAccessStore(h.db);
    const sent: string[] = [];
    let failing = true;
    h.core.registerChannel({
      provider: 'telegram',
      send: (_chatId, text) =>
        failing ? Promise.reject(new Error('ETIMEDOUT')) : Promise.resolve(void sent.push(text)),
    });
    return {
      h,
      store,
      sent,
      advance: (ms: number) => (clock += ms),
      now: () => clock,
      recover: () => (failing = false),
    };
  }

  it('survive a transient send failure: retried with backoff, then delivered once', async () => {
    const t = setup();
    t.store.outbox.enqueue('telegram', '42', 'you were approved', t.now());
    await t.h.core.flushOutbox();
    expect(t.sent).toEqual([]);
    // Not due yet: a flush now does not hammer the provider.
    expect(t.store.outbox.pending(['telegram'], 0, t.now())).toEqual([]);
    t.recover();
    await t.h.core.flushOutbox();
    expect(t.sent).toEqual([]);
    t.advance(OUTBOX_RETRY_DELAYS_MS[0]);
    await t.h.core.flushOutbox();
    expect(t.sent).toEqual(['you were approved']);
    await t.h.core.flushOutbox();
    expect(t.sent).toEqual(['you were approved']);
  });

  it('are given up after the last retry, not retried forever', async () => {
    const t = setup();
    t.store.outbox.enqueue('telegram', '42', 'you were approved', t.now());
    await t.h.core.flushOutbox();
    for (const delay of OUTBOX_RETRY_DELAYS_MS) {
      t.advance(delay);
      await t.h.core.flushOutbox();
    }
    expect(t.store.outbox.pending(['telegram'], 0)).toEqual([]);
    const row = t.h.db.prepare('SELECT attempts, error FROM outbox').get() as {
      attempts: number;
      error: string;
    };
    expect(row).toEqual({ attempts: OUTBOX_RETRY_DELAYS_MS.length + 1, error: 'ETIMEDOUT' });
  });
});
