import { BrowserWindow, ipcMain, type WebFrameMain } from 'electron';
import { BRIDGE_EVENT_CHANNEL, BRIDGE_INVOKE_CHANNEL } from '../../src-shared/ipc/bridge.js';
import { errorEnvelope } from '../../src-shared/ipc/envelope.js';
import type { EventHub } from '../supervisor/event-hub.js';
import type { Dispatch } from '../supervisor/ipc-router.js';

/**
 * Wires the contract to Electron IPC: one invoke channel, checked for the sender frame (the top
 * frame of one of our windows, showing our own page) before anything is dispatched, and every
 * contract event pushed to every window.
 */
export function registerIpcBridge(
  dispatch: Dispatch,
  events: EventHub,
  isOwnPage: (url: string) => boolean,
): () => void {
  const trusted = (frame: WebFrameMain | null): boolean =>
    frame !== null && frame.parent === null && isOwnPage(frame.url);

  ipcMain.handle(BRIDGE_INVOKE_CHANNEL, (event, channel: unknown, input: unknown) => {
    if (!trusted(event.senderFrame)) {
      return errorEnvelope('FORBIDDEN', 'IPC is only accepted from the Clawdbot window');
    }
    return dispatch(channel, input, { transport: 'electron' });
  });

  const subscription = new AbortController();
  events.subscribe((event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) {
      if (!window.isDestroyed()) window.webContents.send(BRIDGE_EVENT_CHANNEL, event, payload);
    }
  }, subscription.signal);

  return () => {
    ipcMain.removeHandler(BRIDGE_INVOKE_CHANNEL);
    subscription.abort();
  };
}
