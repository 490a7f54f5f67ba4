/** A desktop notification as the shell uses it (Electron's `Notification`). */
export interface DesktopNotification {
  on(event: 'click' | 'close', listener: () => void): void;
  show(): void;
  close(): void;
}

/** Desktop notifications (Electron: `Notification.isSupported()` and `new Notification(…)`). */
export interface NotificationPort {
  isSupported(): boolean;
  create(options: { title: string; body: string }): DesktopNotification;
}
