import type { StoreApi } from 'zustand';
import type { Transport } from '../transport.js';
import type { AppStoreState } from './app-store.js';

/**
 * Keeps the store in step with the supervisor: every contract event updates it, and after each
 * (re)connect everything is read afresh, because events sent while away were missed.
 */
export function syncWithTransport(store: StoreApi<AppStoreState>, transport: Transport): void {
  const { getState, setState } = store;

  const refresh = async (): Promise<void> => {
    const [status, pending, allowlists] = await Promise.all([
      transport.invoke('status:get', {}),
      transport.invoke('pairing:list', {}),
      transport.invoke('allowlist:list', {}),
    ]);
    if (status.ok) setState({ snapshot: status.value });
    if (pending.ok) getState().receivePending(pending.value);
    if (allowlists.ok) getState().receiveAllowlists(allowlists.value);
  };

  transport.on('gateway:changed', (gateway) => {
    const snapshot = getState().snapshot;
    if (snapshot) setState({ snapshot: { ...snapshot, gateway } });
    else void refresh();
  });
  transport.on('killswitch:changed', (killSwitch) => {
    const snapshot = getState().snapshot;
    if (snapshot) setState({ snapshot: { ...snapshot, killSwitch } });
    else void refresh();
  });
  transport.on('pairing:changed', (pending) => getState().receivePending(pending));
  transport.on('allowlist:changed', (overview) => getState().receiveAllowlists(overview));
  // The owner clicked a desktop notification or a tray entry (Electron): show that request.
  transport.on('pairing:focus', ({ requestId }) => getState().review(requestId));
  transport.onConnection((connection) => {
    setState({ connection });
    if (connection === 'connected') void refresh();
  });
}
