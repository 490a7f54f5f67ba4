import { describe, expect, it } from 'vitest';
import type { IncidentSecret } from '../../src-shared/domain/incident.js';
import type { Envelope } from '../../src-shared/ipc/envelope.js';
import { createIncidentStore, shownAsChecked } from '../../src-renderer/state/incident-store.js';
import type { Transport } from '../../src-renderer/transport.js';

const secret: IncidentSecret = {
  id: 'telegram-token',
  name: 'Telegram bot token',
  location: 'telegram.botToken in /tmp/config.json5',
  rotate: 'Ask @BotFather for a new token.',
  url: null,
  checkedAt: null,
};

/** A transport whose `incident:check` reply waits until the test settles it. */
function slowCheckTransport() {
  let settle: (reply: Envelope<unknown>) => void = () => {};
  const transport = {
    invoke(channel: string) {
      if (channel === 'incident:check') {
        return new Promise((resolve) => {
          settle = resolve;
        });
      }
      if (channel === 'incident:get') {
        return Promise.resolve({
          ok: true,
          value: { id: 0, engaged: false, at: 0, secrets: [secret] },
        });
      }
      return Promise.resolve({ ok: true, value: null });
    },
    on: () => () => {},
    onConnection: () => () => {},
  } as unknown as Transport;
  return { transport, settle: (reply: Envelope<unknown>) => settle(reply) };
}

describe('the incident checklist', () => {
  it('shows the tick at once while it is saved, and takes it back if saving fails', async () => {
    const { transport, settle } = slowCheckTransport();
    const store = createIncidentStore(transport);
    await store.getState().load();

    const saving = store.getState().check('telegram-token', true);
    // The box must not spring back while the reply is on its way: a click that seems ignored
    // invites a second click, which would untick it.
    expect(shownAsChecked(secret, store.getState().pending)).toBe(true);

    settle({ ok: false, error: { code: 'INTERNAL', message: 'disk full' } });
    await saving;
    expect(shownAsChecked(secret, store.getState().pending)).toBe(false);
    expect(store.getState().checkError).toBe('disk full');
  });
});
