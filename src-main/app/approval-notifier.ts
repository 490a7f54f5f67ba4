import type { ApprovalChoice, ApprovalRequest } from '../../src-shared/domain/approvals.js';
import type { EventHub } from '../supervisor/event-hub.js';
import { approvalNotice } from '../supervisor/tray-model.js';
import type { DesktopNotification, NotificationPort } from './notifications.js';

/** The notification's buttons, in order, and the choice each one makes. */
export const APPROVAL_ACTIONS: ReadonlyArray<{ label: string; choice: ApprovalChoice }> = [
  { label: 'Allow once', choice: 'once' },
  { label: 'Allow always', choice: 'always' },
  { label: 'Deny', choice: 'deny' },
];

/**
 * Whether Electron shows a notification's action buttons on `platform`. Electron 39's
 * `Notification` takes `actions` and emits `action` on macOS only (and there only for a signed
 * app whose alert style is "alert"); elsewhere the notification has no buttons and a click
 * opens the approval dialog.
 */
export function notificationActionsShown(platform: NodeJS.Platform): boolean {
  return platform === 'darwin';
}

/** What the approval notifier does with the owner's answers. */
export interface ApprovalNotifierHandlers {
  /** The notification itself was clicked: show the approval dialog. */
  open(requestId: string): void;
  /** One of its buttons was pressed: decide the request (the first answer anywhere wins). */
  decide(requestId: string, choice: ApprovalChoice): void;
  platform: NodeJS.Platform;
}

/**
 * A desktop notification for each command that starts waiting for approval, with Allow once /
 * Allow always / Deny buttons where the platform shows them; clicking it opens the window, where
 * the approval dialog shows it. A notification whose request was decided anywhere is withdrawn.
 */
export function notifyApprovals(
  events: Pick<EventHub, 'on'>,
  notifications: NotificationPort,
  initial: readonly ApprovalRequest[],
  handlers: ApprovalNotifierHandlers,
  signal: AbortSignal,
): void {
  const known = new Set(initial.map((request) => request.id));
  const withActions = notificationActionsShown(handlers.platform);
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
        const notice = approvalNotice(request, withActions);
        const notification = notifications.create(
          withActions ? { ...notice, actions: APPROVAL_ACTIONS.map((a) => a.label) } : notice,
        );
        notification.on('click', () => {
          shown.delete(request.id);
          handlers.open(request.id);
        });
        notification.onAction((index) => {
          const action = APPROVAL_ACTIONS[index];
          shown.delete(request.id);
          // An index Electron made up (macOS' default "Show") opens the dialog instead.
          if (action) handlers.decide(request.id, action.choice);
          else handlers.open(request.id);
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
