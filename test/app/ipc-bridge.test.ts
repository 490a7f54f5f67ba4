import { describe, expect, it } from 'vitest';
import { idleGatewayStatus } from '../../src-shared/domain/gateway.js';
import { BRIDGE_EVENT_CHANNEL, BRIDGE_INVOKE_CHANNEL } from '../../src-shared/ipc/bridge.js';
import { okEnvelope } from '../../src-shared/ipc/envelope.js';
import { isTrustedSender, registerIpcBridge } from '../../src-main/app/ipc-bridge.js';
import { EventHub } from '../../src-main/supervisor/event-hub.js';
import type { CallContext, Dispatch } from '../../src-main/supervisor/ipc-router.js';
import { FakeIpcMain, FakeWindow, type FakeFrame } from '../helpers/fake-electron.js';

const OWN = 'file:///app/out/renderer/index.html';
const isOwn = (url: string): boolean => url.split(/[?#]/)[0] === OWN;

function setup() {
  const ipcMain = new FakeIpcMain();
  const windows = [new FakeWindow({}), new FakeWindow({})];
  const events = new EventHub();
  const calls: { channel: unknown; input: unknown; context: CallContext }[] = [];
  const dispatch: Dispatch = (channel, input, context) => {
    calls.push({ channel, input, context });
    return Promise.resolve(okEnvelope('dispatched'));
  };
  const unregister = registerIpcBridge(
    { ipcMain, windows: () => windows },
    dispatch,
    events,
    isOwn,
  );
  return { ipcMain, windows, events, calls, unregister };
}

describe('the IPC bridge', () => {
  it('dispatches a call from the top frame of our own page, as the electron transport', async () => {
    const { ipcMain, calls } = setup();
    const reply = await ipcMain.invoke(
      { parent: null, url: `${OWN}#/sessions` },
      BRIDGE_INVOKE_CHANNEL,
      'status:get',
      {},
    );
    expect(reply).toEqual(okEnvelope('dispatched'));
    expect(calls).toEqual([
      { channel: 'status:get', input: {}, context: { transport: 'electron' } },
    ]);
  });

  it('refuses, before dispatching anything, an iframe (even of our page), another page, or a frame that is gone', async () => {
    const { ipcMain, calls } = setup();
    const top: FakeFrame = { parent: null, url: OWN };
    const refused = [
      { parent: top, url: OWN },
      { parent: top, url: 'https://evil.example/' },
      { parent: null, url: 'https://evil.example/' },
      { parent: null, url: 'file:///tmp/index.html' },
      null,
    ];
    for (const frame of refused) {
      const reply = await ipcMain.invoke(frame, BRIDGE_INVOKE_CHANNEL, 'killswitch:rearm', {});
      expect(reply).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: 'IPC is only accepted from the Clawdbot window' },
      });
    }
    expect(calls).toEqual([]);
    expect(isTrustedSender(undefined, isOwn)).toBe(false);
  });

  it('pushes every contract event to every open window, and stops once unregistered', () => {
    const { ipcMain, windows, events, unregister } = setup();
    windows[1]!.destroyed = true;
    events.emit('gateway:changed', idleGatewayStatus);
    expect(windows[0]!.sent).toEqual([
      { channel: BRIDGE_EVENT_CHANNEL, args: ['gateway:changed', idleGatewayStatus] },
    ]);
    expect(windows[1]!.sent).toEqual([]);

    unregister();
    events.emit('gateway:changed', idleGatewayStatus);
    expect(windows[0]!.sent).toHaveLength(1);
    expect(ipcMain.handlers.has(BRIDGE_INVOKE_CHANNEL)).toBe(false);
  });
});
