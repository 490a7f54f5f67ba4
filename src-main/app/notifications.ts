/** A desktop notification as the shell uses it (Electron's `Notification`). */
export interface DesktopNotification {
  on(event: 'click' | 'close', listener: () => void): void;
  /** One of its action buttons was pressed: `index` into the `actions` it was made with. */
  onAction(listener: (index: number) => void): void;
  show(): void;
  close(): void;
}

/** What a desktop notification says, and the buttons it offers where the platform shows them. */
export interface NotificationOptions {
  title: string;
  body: string;
  /** Button labels (Electron's `actions` of type `button`); absent: a plain notification. */
  actions?: readonly string[];
}

/** Desktop notifications (Electron: `Notification.isSupported()` and `new Notification(…)`). */
export interface NotificationPort {
  isSupported(): boolean;
  create(options: NotificationOptions): DesktopNotification;
}

/** The part of an Electron `Notification` the adapter uses. */
export interface ElectronNotificationLike {
  on(event: 'click' | 'close', listener: () => void): unknown;
  on(event: 'action', listener: (event: unknown, index: number) => void): unknown;
  show(): void;
  close(): void;
}

/**
 * A `DesktopNotification` over an Electron notification made by `make` from Electron's options:
 * the labels become `button` actions, and Electron's `action` event (event, index) reaches
 * `onAction` as the index alone.
 */
export function adaptElectronNotification(
  make: (options: {
    title: string;
    body: string;
    actions?: { type: 'button'; text: string }[];
  }) => ElectronNotificationLike,
  options: NotificationOptions,
): DesktopNotification {
  const notification = make({
    title: options.title,
    body: options.body,
    ...(options.actions
      ? { actions: options.actions.map((text) => ({ type: 'button' as const, text })) }
      : {}),
  });
  return {
    on: (event, listener) => void notification.on(event, listener),
    onAction: (listener) => void notification.on('action', (_event, index) => listener(index)),
    show: () => notification.show(),
    close: () => notification.close(),
  };
}
