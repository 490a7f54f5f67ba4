import type { GatewayStatus } from '../../src-shared/domain/gateway.js';
import type { EventHub } from '../supervisor/event-hub.js';
import { crashNotice } from '../supervisor/tray-model.js';
import type { DesktopNotification, NotificationPort } from './notifications.js';

/**
 * A desktop notification when the gateway's crash loop ends in `crashed`: nothing answers until
 * the owner acts, so say so. Clicking it calls `onOpen` (the shell opens the logs); a newer one
 * replaces the last.
 */
export function notifyGatewayCrashes(
  events: Pick<EventHub, 'on'>,
  notifications: NotificationPort,
  initial: GatewayStatus,
  onOpen: () => void,
  signal: AbortSignal,
): void {
  let last = initial;
  // Held: a notification that is garbage-collected silently loses its click handler.
  let shown: DesktopNotification | null = null;
  events.on(
    'gateway:changed',
    (next) => {
      const notice = crashNotice(last, next);
      last = next;
      if (!notice || !notifications.isSupported()) return;
      shown?.close();
      shown = notifications.create(notice);
      shown.on('click', onOpen);
      shown.show();
    },
    signal,
  );
}
