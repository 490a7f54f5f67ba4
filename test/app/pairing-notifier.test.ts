import { afterEach, describe, expect, it } from 'vitest';
import type { PairingRequest } from '../../src-shared/domain/access.js';
import { notifyPairingRequests } from '../../src-main/app/pairing-notifier.js';
import { EventHub } from '../../src-main/supervisor/event-hub.js';
import { FakeNotifications } from '../helpers/fake-electron.js';

const request = (id: string, senderId: string): PairingRequest => ({
  id,
  provider: 'telegram',
  senderId,
  displayName: `Stranger ${senderId}`,
  code: `CODE${id.toUpperCase()}`,
  createdAt: 1,
  lastSeenAt: 1,
  expiresAt: 3_600_001,
});

describe('pairing request notifications', () => {
  let subscription = new AbortController();
  afterEach(() => {
    subscription.abort();
    subscription = new AbortController();
  });
  function setup(initial: PairingRequest[] = []) {
    const events = new EventHub();
    const notifications = new FakeNotifications();
    const reviewed: string[] = [];
    notifyPairingRequests(
      events,
      notifications,
      initial,
      (id) => reviewed.push(id),
      subscription.signal,
    );
    return { events, notifications, reviewed };
  }

  it('one notification per new request (those waiting at start are not news); a click opens its review', () => {
    const waiting = request('a', '100');
    const { events, notifications, reviewed } = setup([waiting]);
    const fresh = request('b', '200');
    events.emit('pairing:changed', [waiting, fresh]);
    expect(notifications.made.map((n) => n.options)).toEqual([
      {
        title: 'Clawdbot: pairing request',
        body: 'Pairing request on Telegram from Stranger 200 (200) — click to review',
      },
    ]);
    expect(notifications.open()).toHaveLength(1);
    // The same list again (another process's commit, a re-read) is not a new request.
    events.emit('pairing:changed', [waiting, fresh]);
    expect(notifications.made).toHaveLength(1);

    notifications.made[0]!.click();
    expect(reviewed).toEqual(['b']);
  });

  it('withdraws a notification whose request was approved, rejected or expired', () => {
    const { events, notifications, reviewed } = setup();
    const first = request('a', '100');
    const second = request('b', '200');
    events.emit('pairing:changed', [first, second]);
    expect(notifications.open()).toHaveLength(2);
    events.emit('pairing:changed', [second]);
    expect(notifications.made[0]!.closed).toBe(true);
    expect(notifications.open().map((n) => n.options.body)).toEqual([
      expect.stringContaining('Stranger 200'),
    ]);
    expect(reviewed).toEqual([]);
  });

  it('shows nothing where notifications are unsupported, and closes what it showed when stopped', () => {
    const { events, notifications } = setup();
    notifications.supported = false;
    events.emit('pairing:changed', [request('a', '100')]);
    expect(notifications.made).toEqual([]);
    notifications.supported = true;
    events.emit('pairing:changed', [request('a', '100'), request('b', '200')]);
    expect(notifications.open()).toHaveLength(1);
    subscription.abort();
    expect(notifications.open()).toEqual([]);
    events.emit('pairing:changed', [request('c', '300')]);
    expect(notifications.made).toHaveLength(1);
  });
});
