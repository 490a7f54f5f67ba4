import type { PairingRequest } from '../../src-shared/domain/access.js';
import { newPairingRequests } from '../../src-shared/domain/pairing-display.js';
import type { EventHub } from '../supervisor/event-hub.js';
import { pairingNotice } from '../supervisor/tray-model.js';
import type { DesktopNotification, NotificationPort } from './notifications.js';

/**
 * A desktop notification for each new pairing request; clicking it calls `onReview`. Requests
 * already waiting at start-up are not news (the tray lists them). A notification whose request
 * was handled or expired is withdrawn, so it cannot open a dialog for a dead code.
 */
export function notifyPairingRequests(
  events: Pick<EventHub, 'on'>,
  notifications: NotificationPort,
  initial: readonly PairingRequest[],
  onReview: (requestId: string) => void,
  signal: AbortSignal,
): void {
  let previous = initial;
  // Held here: a notification that is garbage-collected silently loses its click handler.
  const shown = new Map<string, DesktopNotification>();
  events.on(
    'pairing:changed',
    (pending) => {
      const live = new Set(pending.map((request) => request.id));
      for (const [id, notification] of shown) {
        if (live.has(id)) continue;
        notification.close();
        shown.delete(id);
      }
      if (notifications.isSupported()) {
        for (const request of newPairingRequests(previous, pending)) {
          const notification = notifications.create(pairingNotice(request));
          notification.on('click', () => {
            shown.delete(request.id);
            onReview(request.id);
          });
          notification.on('close', () => shown.delete(request.id));
          shown.set(request.id, notification);
          notification.show();
        }
      }
      previous = pending;
    },
    signal,
  );
  signal.addEventListener('abort', () => {
    for (const notification of shown.values()) notification.close();
    shown.clear();
  });
}
