import { describe, expect, it } from 'vitest';
import { idleGatewayStatus, type GatewayStatus } from '../../src-shared/domain/gateway.js';
import { notifyGatewayCrashes } from '../../src-main/app/crash-notifier.js';
import { EventHub } from '../../src-main/supervisor/event-hub.js';
import { FakeNotifications } from '../helpers/fake-electron.js';

const crashed: GatewayStatus = {
  ...idleGatewayStatus,
  state: 'crashed',
  restarts: 4,
  lastExit: { code: 7, signal: null, at: 5, stderrTail: 'token sk-secret in the tail' },
  message: 'gave up after 5 crashes within 60 s',
};

describe('the crash notification', () => {
  it('says once that the gateway gave up, without what it printed; a click opens the logs', () => {
    const events = new EventHub();
    const notifications = new FakeNotifications();
    const subscription = new AbortController();
    let opened = 0;
    notifyGatewayCrashes(
      events,
      notifications,
      idleGatewayStatus,
      () => opened++,
      subscription.signal,
    );
    events.emit('gateway:changed', { ...idleGatewayStatus, state: 'starting' });
    expect(notifications.made).toEqual([]);
    events.emit('gateway:changed', crashed);
    events.emit('gateway:changed', crashed);
    expect(notifications.made.map((n) => n.options)).toEqual([
      {
        title: 'Clawdbot: gateway crashed',
        body: 'The gateway kept crashing and was not restarted again (last exit: code 7). Open Clawdbot to see its logs.',
      },
    ]);
    notifications.made[0]!.click();
    expect(opened).toBe(1);

    // A later crash loop replaces the earlier notice; none after the shell stopped.
    events.emit('gateway:changed', { ...idleGatewayStatus, state: 'running' });
    events.emit('gateway:changed', crashed);
    expect(notifications.made[0]!.closed).toBe(true);
    expect(notifications.open()).toHaveLength(1);
    subscription.abort();
    events.emit('gateway:changed', idleGatewayStatus);
    events.emit('gateway:changed', crashed);
    expect(notifications.made).toHaveLength(2);
  });
});
