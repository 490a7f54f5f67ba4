// First, so the views' own stylesheets come after them (base.css and tokens.css are inline).
import './styles.css';
import './shell.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import type { StatusSnapshot } from '../src-shared/ipc/contract.js';
import { App } from './App.js';
import { createAppStore } from './state/app-store.js';
import { StoreContext, TransportContext } from './state/store-context.js';
import { bindViewToLocation } from './state/view-location.js';
import type { Transport } from './transport.js';
import type { Envelope } from '../src-shared/ipc/envelope.js';

/**
 * Mounts the app on `#root`, over the transport the page's first script opened (early-page.ts)
 * and the status snapshot it already asked for (so the first paint does not wait for this chunk to ask again).
 */
export function boot(transport: Transport | null, early: Promise<Envelope<StatusSnapshot>> | null) {
  const store = createAppStore(transport, early);
  bindViewToLocation(store);
  const root = document.getElementById('root');
  if (!root) throw new Error('index.html has no #root element');
  createRoot(root).render(
    <StrictMode>
      <TransportContext.Provider value={transport}>
        <StoreContext.Provider value={store}>
          <App />
        </StoreContext.Provider>
      </TransportContext.Provider>
    </StrictMode>,
  );
}
