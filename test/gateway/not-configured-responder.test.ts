import { describe, expect, it } from 'vitest';
import {
  NOT_CONFIGURED_OWNER_TEXT,
  NOT_CONFIGURED_TEXT,
  createNotConfiguredResponder,
} from '../../src-main/gateway/not-configured-responder.js';
import type { Delivery } from '../../src-main/gateway/inbound/delivery.js';
import { dm } from '../helpers/gateway-harness.js';

const delivery = (provider: 'telegram' | 'console', sessionKey: string): Delivery => ({
  action: 'deliver',
  sessionKey,
  trust: provider === 'console' ? 'owner' : 'allowed',
  envelope: dm('1', 'hi', { provider }),
});

describe('the not-configured responder', () => {
  it('answers each conversation at most once per quiet period, the console every time', async () => {
    let now = 0;
    const replies: [string, string][] = [];
    const respond = createNotConfiguredResponder({
      reply: (d, text) => Promise.resolve(void replies.push([d.sessionKey, text])),
      onDelivered: () => undefined,
      now: () => now,
      quietMs: 60_000,
    });
    await respond(delivery('telegram', 'dm:telegram:1'));
    await respond(delivery('telegram', 'dm:telegram:1'));
    await respond(delivery('telegram', 'dm:telegram:2'));
    await respond(delivery('console', 'main'));
    await respond(delivery('console', 'main'));
    now = 61_000;
    await respond(delivery('telegram', 'dm:telegram:1'));
    expect(replies).toEqual([
      ['dm:telegram:1', NOT_CONFIGURED_TEXT],
      ['dm:telegram:2', NOT_CONFIGURED_TEXT],
      ['main', NOT_CONFIGURED_OWNER_TEXT],
      ['main', NOT_CONFIGURED_OWNER_TEXT],
      ['dm:telegram:1', NOT_CONFIGURED_TEXT],
    ]);
  });
});
