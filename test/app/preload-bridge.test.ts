import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { BRIDGE_EVENT_CHANNEL, BRIDGE_INVOKE_CHANNEL } from '../../src-shared/ipc/bridge.js';
import type { InvokeChannel } from '../../src-shared/ipc/contract.js';
import { createPreloadBridge, type IpcRendererPort } from '../../src-main/app/preload-bridge.js';

/** `ipcRenderer`: records invocations; the main process's sends are played with `push`. */
class FakeIpcRenderer extends EventEmitter implements IpcRendererPort {
  readonly invoked: unknown[][] = [];
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push([channel, ...args]);
    return Promise.resolve({ ok: true, value: 'from main' });
  }
  push(event: string, payload: unknown): void {
    this.emit(BRIDGE_EVENT_CHANNEL, {}, event, payload);
  }
}

describe('the preload bridge', () => {
  it('invokes only contract channels, over the one invoke channel', async () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createPreloadBridge(ipc);
    expect(await bridge.invoke('status:get', {})).toEqual({ ok: true, value: 'from main' });
    expect(ipc.invoked).toEqual([[BRIDGE_INVOKE_CHANNEL, 'status:get', {}]]);
    const refused = await bridge.invoke('fs:read' as InvokeChannel, {});
    expect(refused).toEqual({
      ok: false,
      error: { code: 'UNKNOWN_CHANNEL', message: 'unknown channel fs:read' },
    });
    expect(ipc.invoked).toHaveLength(1);
  });

  it('passes a listener only its own event, until it unsubscribes; unknown events are not wired', () => {
    const ipc = new FakeIpcRenderer();
    const bridge = createPreloadBridge(ipc);
    const seen: unknown[] = [];
    const off = bridge.on('console:message', (message) => seen.push(message));
    ipc.push('gateway:changed', { state: 'running' });
    ipc.push('console:message', { text: 'hi' });
    expect(seen).toEqual([{ text: 'hi' }]);
    off();
    ipc.push('console:message', { text: 'again' });
    expect(seen).toHaveLength(1);
    expect(ipc.listenerCount(BRIDGE_EVENT_CHANNEL)).toBe(0);
    bridge.on('secrets:leak' as 'console:message', () => seen.push('leak'));
    expect(ipc.listenerCount(BRIDGE_EVENT_CHANNEL)).toBe(0);
  });
});
