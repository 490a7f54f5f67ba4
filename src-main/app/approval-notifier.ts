import type { ApprovalRequest } from '../../src-shared/domain/approvals.js';
import type { EventHub } from '../supervisor/event-hub.js';
import { approvalNotice } from '../supervisor/tray-model.js';
import type { DesktopNotification, NotificationPort } from './notifications.js';

/**
 * A desktop notification for each command that starts waiting for approval; clicking it opens
 * the window, where the approval dialog shows it. A notification whose request was decided
 * anywhere is withdrawn.
 */
export function notifyApprovals(
  events: Pick<EventHub, 'on'>,
  notifications: NotificationPort,
  initial: readonly ApprovalRequest[],
  onOpen: (requestId: string) => void,
  signal: AbortSignal,
): void {
  const known = new Set(initial.map((request) => request.id));
  // Held here: a notification that is garbage-collected silently loses its click handler.
  const shown = new Map<string, DesktopNotification>();
  events.on(
    'approvals:changed',
    ({ pending }) => {
      const live = new Set(pending.map((request) => request.id));
      for (const [id, notification] of shown) {
        if (live.has(id)) continue;
        notification.close();
        shown.delete(id);
      }
      for (const request of pending) {
        if (known.has(request.id)) continue;
        known.add(request.id);
        if (!notifications.isSupported()) continue;
        const notification = notifications.create(approvalNotice(request));
        notification.on('click', () => {
          shown.delete(request.id);
          onOpen(request.id);
        });
        notification.on('close', () => shown.delete(request.id));
        shown.set(request.id, notification);
        notification.show();
      }
    },
    signal,
  );
  signal.addEventListener('abort', () => {
    for (const notification of shown.values()) notification.close();
    shown.clear();
  });
}
