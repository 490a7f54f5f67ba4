import type { StoreApi } from 'zustand';
import type { StatusSnapshot } from '../../src-shared/ipc/contract.js';
import type { Transport } from '../transport.js';
import { VIEWS, type View } from './view.js';
import { type AppStoreState } from './app-state.js';

/**
 * Keeps the store in step with the supervisor: every contract event updates it, and after each
 * (re)connect everything is read afresh, because events sent while away were missed.
 */
export function syncWithTransport(store: StoreApi<AppStoreState>, transport: Transport): void {
  const { getState, setState } = store;

  // Each reply is applied as it arrives, not after all of them: replies and events share one
  // ordered line, so a reply held back would overwrite an event that came after it.
  const refresh = async (): Promise<void> => {
    await Promise.all([
      transport.invoke('status:get', {}).then((status) => {
        if (status.ok) setState({ snapshot: status.value });
      }),
      transport.invoke('pairing:list', {}).then((pending) => {
        if (pending.ok) getState().receivePending(pending.value);
      }),
      transport.invoke('allowlist:list', {}).then((allowlists) => {
        if (allowlists.ok) getState().receiveAllowlists(allowlists.value);
      }),
      transport.invoke('providers:list', {}).then((providers) => {
        if (providers.ok) getState().receiveProviders(providers.value);
      }),
      transport.invoke('console:history', {}).then((history) => {
        // Merged, not replaced: what this window already shows stays.
        if (history.ok) getState().receiveConsoleMessages(history.value);
      }),
    ]);
  };

  // Each event carries one part of the snapshot; without a snapshot yet, fetch it whole.
  const patchSnapshot = (part: Partial<StatusSnapshot>): void => {
    const snapshot = getState().snapshot;
    if (snapshot) setState({ snapshot: { ...snapshot, ...part } });
    else void refresh();
  };
  transport.on('gateway:changed', (gateway) => patchSnapshot({ gateway }));
  transport.on('killswitch:changed', (killSwitch) => patchSnapshot({ killSwitch }));
  transport.on('config:changed', (config) => patchSnapshot({ config }));
  transport.on('usage:changed', (usage) => patchSnapshot({ usage }));
  transport.on('engine:changed', (sandboxEngine) => patchSnapshot({ sandboxEngine }));
  transport.on('pairing:changed', (pending) => getState().receivePending(pending));
  transport.on('allowlist:changed', (overview) => getState().receiveAllowlists(overview));
  transport.on('providers:changed', (providers) => getState().receiveProviders(providers));
  transport.on('console:message', (message) => getState().receiveConsoleMessages([message]));
  // The owner clicked a desktop notification or a tray entry (Electron): show that request.
  transport.on('pairing:focus', ({ requestId }) => getState().review(requestId));
  // The tray asked for a view ("Open logs"); a name this renderer does not know is ignored.
  transport.on('ui:show', ({ view }) => {
    if ((VIEWS as readonly string[]).includes(view)) getState().showView(view as View);
  });
  transport.onConnection((connection) => {
    setState({ connection });
    if (connection === 'connected') void refresh();
  });
}
