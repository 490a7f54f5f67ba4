import { afterEach, describe, expect, it } from 'vitest';
import { setProcessSecrets } from '../../src-main/logging/redact.js';
import { EventHub } from '../../src-main/supervisor/event-hub.js';

afterEach(() => setProcessSecrets([]));

describe('the event hub', () => {
  it('scrubs configured secrets from every event, whoever emits it', () => {
    setProcessSecrets(['canary-hub-5e7a9c1b3d']);
    const hub = new EventHub();
    const seen: unknown[] = [];
    hub.subscribe((_name, payload) => seen.push(payload));
    hub.emit('console:message', {
      id: '1',
      role: 'assistant',
      text: 'the token is canary-hub-5e7a9c1b3d',
      at: 1,
    });
    expect(JSON.stringify(seen)).not.toContain('canary-hub-5e7a9c1b3d');
    expect(seen).toEqual([{ id: '1', role: 'assistant', text: 'the token is [redacted]', at: 1 }]);
  });
});
