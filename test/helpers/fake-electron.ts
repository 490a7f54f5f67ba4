import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import type { DesktopApp, DesktopPorts } from '../../src-main/app/desktop.js';
import type { PreventableEvent } from '../../src-main/app/harden.js';
import type { EventWindow, IpcMainPort, SenderFrame } from '../../src-main/app/ipc-bridge.js';
import type { SafeStoragePort } from '../../src-main/app/keychain-store.js';
import type {
  DesktopNotification,
  NotificationOptions,
  NotificationPort,
} from '../../src-main/app/notifications.js';
import type { TrayIcon, TrayMenuItem } from '../../src-main/app/tray.js';
import type { UtilityChild, UtilityFork } from '../../src-main/app/utility-launcher.js';
import type { MainWindow, WindowOptions } from '../../src-main/app/window.js';

// Fakes of the Electron APIs the desktop shell uses, typed by the same ports the real modules
// are checked against in src-main/app/main.ts. Electron's binary cannot run here; everything
// behind the ports (the supervisor, the gateway, SQLite) is real.

/** A notification the shell made: what it said, and whether it is still up. */
export class FakeNotification implements DesktopNotification {
  readonly events = new EventEmitter();
  shown = false;
  closed = false;
  constructor(readonly options: NotificationOptions) {}
  on(event: 'click' | 'close', listener: () => void): void {
    this.events.on(event, listener);
  }
  onAction(listener: (index: number) => void): void {
    this.events.on('action', listener);
  }
  show(): void {
    this.shown = true;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.events.emit('close');
  }
  /** The owner clicks it. */
  click(): void {
    this.events.emit('click');
  }
  /** The owner presses its action button `label` (as Electron reports it: by index). */
  press(label: string): void {
    const index = this.options.actions?.indexOf(label) ?? -1;
    if (index < 0) throw new Error(`the notification has no ${label} button`);
    this.events.emit('action', index);
  }
}

/** Desktop notifications, kept in the order they were made. */
export class FakeNotifications implements NotificationPort {
  readonly made: FakeNotification[] = [];
  supported = true;
  isSupported(): boolean {
    return this.supported;
  }
  create(options: NotificationOptions): FakeNotification {
    const notification = new FakeNotification(options);
    this.made.push(notification);
    return notification;
  }
  /** Those shown and not closed. */
  open(): FakeNotification[] {
    return this.made.filter((n) => n.shown && !n.closed);
  }
}

/** A frame of a window's page, as the IPC bridge sees the sender. */
export interface FakeFrame extends SenderFrame {
  readonly parent: FakeFrame | null;
}

/** A BrowserWindow: its options, its URL, and its page's loading state. */
export class FakeWindow implements MainWindow, EventWindow {
  readonly events = new EventEmitter();
  readonly contents = new EventEmitter();
  readonly sent: { channel: string; args: unknown[] }[] = [];
  url: string | null = null;
  destroyed = false;
  minimized = false;
  visible = false;
  focused = false;
  loading = true;
  constructor(readonly options: WindowOptions) {}
  readonly webContents = {
    isLoading: (): boolean => this.loading,
    once: (event: 'did-finish-load', listener: () => void): void => {
      this.contents.once(event, listener);
    },
    send: (channel: string, ...args: unknown[]): void => {
      this.sent.push({ channel, args });
    },
  };
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    this.visible = true;
  }
  focus(): void {
    this.focused = true;
  }
  once(event: 'ready-to-show', listener: () => void): void {
    this.events.once(event, listener);
  }
  loadURL(url: string): Promise<void> {
    this.url = url;
    return Promise.resolve();
  }
  /** The page has painted, then finished loading (its store now listens). */
  finishLoading(): void {
    this.events.emit('ready-to-show');
    this.loading = false;
    this.contents.emit('did-finish-load');
  }
  /** The top frame showing the window's page. */
  topFrame(url = this.url ?? ''): FakeFrame {
    return { parent: null, url };
  }
}

/** `ipcMain`: the handlers registered, and a way to invoke one as a frame would. */
export class FakeIpcMain implements IpcMainPort {
  readonly handlers = new Map<
    string,
    (event: { senderFrame: SenderFrame | null }, ...args: unknown[]) => unknown
  >();
  handle(
    channel: string,
    listener: (event: { senderFrame: SenderFrame | null }, ...args: unknown[]) => unknown,
  ): void {
    if (this.handlers.has(channel)) throw new Error(`a second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** What `ipcRenderer.invoke(channel, …args)` from `frame` would get back. */
  invoke(frame: SenderFrame | null, channel: string, ...args: unknown[]): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) return Promise.reject(new Error(`no handler for ${channel}`));
    return Promise.resolve(handler({ senderFrame: frame }, ...args));
  }
}

/** The tray icon: what it shows now, and its menu to click. */
export class FakeTray implements TrayIcon {
  image: string;
  tooltip = '';
  title = '';
  menu: TrayMenuItem[] = [];
  destroyed = false;
  constructor(imagePath: string) {
    this.image = imagePath;
  }
  setImage(imagePath: string): void {
    this.image = imagePath;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setTitle(text: string): void {
    this.title = text;
  }
  setMenu(items: TrayMenuItem[]): void {
    this.menu = items;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** The menu entry whose label matches. */
  item(label: RegExp): TrayMenuItem {
    const found = this.menu.find((entry) => entry.label !== undefined && label.test(entry.label));
    if (!found) throw new Error(`no tray entry ${label} in ${JSON.stringify(this.menu)}`);
    return found;
  }
  /** The owner chooses an entry. */
  click(label: RegExp): void {
    const entry = this.item(label);
    if (entry.enabled === false || !entry.click) throw new Error(`${label} is not clickable`);
    entry.click();
  }
}

/** A reversible stand-in for the OS keychain's encryption (never the plain text on disk). */
export class FakeSafeStorage implements SafeStoragePort {
  available = true;
  backend = 'gnome_libsecret';
  isEncryptionAvailable(): boolean {
    return this.available;
  }
  encryptString(plainText: string): Buffer {
    return Buffer.from(`sealed:${Buffer.from(plainText).toString('base64')}`);
  }
  decryptString(encrypted: Buffer): string {
    const text = encrypted.toString();
    if (!text.startsWith('sealed:')) throw new Error('Error while decrypting the ciphertext');
    return Buffer.from(text.slice('sealed:'.length), 'base64').toString();
  }
  getSelectedStorageBackend(): string {
    return this.backend;
  }
}

/** Electron's `app` after it is ready: its listeners, and whether it quit or exited. */
export class FakeApp implements DesktopApp {
  readonly events = new EventEmitter();
  quitCalls = 0;
  exitCode: number | null = null;
  readonly exited: Promise<number>;
  private resolveExit: (code: number) => void = () => undefined;
  constructor() {
    this.exited = new Promise((resolve) => (this.resolveExit = resolve));
  }
  on(event: 'second-instance' | 'window-all-closed', listener: () => void): void;
  on(event: 'before-quit', listener: (event: PreventableEvent) => void): void;
  on(event: string, listener: (event: PreventableEvent) => void): void {
    this.events.on(event, listener);
  }
  quit(): void {
    this.quitCalls++;
  }
  exit(code: number): void {
    this.exitCode = code;
    this.resolveExit(code);
  }
  /** What Electron does on a quit: `before-quit`, whose default a listener may prevent. */
  beforeQuit(): { prevented: boolean } {
    const outcome = { prevented: false };
    this.events.emit('before-quit', { preventDefault: () => (outcome.prevented = true) });
    return outcome;
  }
}

/**
 * `utilityProcess.fork`, played by Node's `child_process.fork` (the same gateway code runs under
 * both). Electron's child reports only an exit code, so a signal death is reported as code 1.
 */
export const nodeUtilityFork: UtilityFork = (modulePath, args, options) => {
  const child = fork(modulePath, args, {
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    serialization: 'json',
  });
  // A send to a child that just died raises EPIPE asynchronously; its exit is what counts.
  child.on('error', () => undefined);
  const utility: UtilityChild = {
    get pid() {
      return child.pid;
    },
    stdout: child.stdout,
    stderr: child.stderr,
    once(event: 'spawn' | 'exit', listener: (code: number) => void): void {
      if (event === 'spawn') child.once('spawn', () => listener(0));
      else child.once('exit', (code) => listener(code ?? 1));
    },
    on(_event: 'message', listener: (message: unknown) => void): void {
      child.on('message', listener);
    },
    postMessage(message: unknown): void {
      if (child.connected) child.send(message as object);
    },
  };
  return utility;
};

/** Every port of the desktop shell, faked, with handles to look at and drive them. */
export interface FakeElectron {
  ports: DesktopPorts;
  app: FakeApp;
  ipcMain: FakeIpcMain;
  windows: FakeWindow[];
  trays: FakeTray[];
  notifications: FakeNotifications;
  keychain: FakeSafeStorage;
  errors: { title: string; message: string }[];
}

/** A fresh set of fakes; the windows and trays the shell makes are collected as it makes them. */
export function fakeElectron(platform: NodeJS.Platform = 'linux'): FakeElectron {
  const app = new FakeApp();
  const ipcMain = new FakeIpcMain();
  const windows: FakeWindow[] = [];
  const trays: FakeTray[] = [];
  const notifications = new FakeNotifications();
  const keychain = new FakeSafeStorage();
  const errors: { title: string; message: string }[] = [];
  return {
    app,
    ipcMain,
    windows,
    trays,
    notifications,
    keychain,
    errors,
    ports: {
      app,
      openWindow: (options) => {
        const window = new FakeWindow(options);
        windows.push(window);
        return window;
      },
      tray: (imagePath) => {
        const tray = new FakeTray(imagePath);
        trays.push(tray);
        return tray;
      },
      notifications,
      ipc: { ipcMain, windows: () => windows },
      keychain,
      fork: nodeUtilityFork,
      showError: (title, message) => errors.push({ title, message }),
      platform,
    },
  };
}
