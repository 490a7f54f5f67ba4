import { BRIDGE_EVENT_CHANNEL, BRIDGE_INVOKE_CHANNEL } from '../../src-shared/ipc/bridge.js';
import { errorEnvelope } from '../../src-shared/ipc/envelope.js';
import type { EventHub } from '../supervisor/event-hub.js';
import type { Dispatch } from '../supervisor/ipc-router.js';

/** The part of a frame the sender check reads (Electron's `WebFrameMain`). */
export interface SenderFrame {
  /** Null for a top frame; an iframe has its parent here. */
  readonly parent: unknown;
  readonly url: string;
}

/** The part of Electron's `ipcMain` the bridge uses. */
export interface IpcMainPort {
  handle(
    channel: string,
    listener: (event: { readonly senderFrame: SenderFrame | null }, ...args: unknown[]) => unknown,
  ): void;
  removeHandler(channel: string): void;
}

/** A window events are pushed to (Electron's `BrowserWindow`). */
export interface EventWindow {
  isDestroyed(): boolean;
  webContents: { send(channel: string, ...args: unknown[]): void };
}

/** What the bridge needs of Electron. */
export interface IpcBridgePorts {
  ipcMain: IpcMainPort;
  /** Every open window (Electron: `BrowserWindow.getAllWindows()`). */
  windows(): readonly EventWindow[];
}

/**
 * Whether an IPC call may be dispatched: it must come from the top frame (never an iframe,
 * whatever it shows) of a page that is our own. A frame that is gone (null) is refused too.
 */
export function isTrustedSender(
  frame: SenderFrame | null | undefined,
  isOwnPage: (url: string) => boolean,
): boolean {
  return frame !== null && frame !== undefined && frame.parent === null && isOwnPage(frame.url);
}

/**
 * Wires the contract to Electron IPC: one invoke channel, checked for the sender frame before
 * anything is dispatched, and every contract event pushed to every window. Returns the function
 * that unwires it.
 */
export function registerIpcBridge(
  ports: IpcBridgePorts,
  dispatch: Dispatch,
  events: EventHub,
  isOwnPage: (url: string) => boolean,
): () => void {
  ports.ipcMain.handle(BRIDGE_INVOKE_CHANNEL, (event, channel, input) => {
    if (!isTrustedSender(event.senderFrame, isOwnPage)) {
      return errorEnvelope('FORBIDDEN', 'IPC is only accepted from the Clawdbot window');
    }
    return dispatch(channel, input, { transport: 'electron' });
  });

  const subscription = new AbortController();
  events.subscribe((event, payload) => {
    for (const window of ports.windows()) {
      if (!window.isDestroyed()) window.webContents.send(BRIDGE_EVENT_CHANNEL, event, payload);
    }
  }, subscription.signal);

  return () => {
    ports.ipcMain.removeHandler(BRIDGE_INVOKE_CHANNEL);
    subscription.abort();
  };
}
