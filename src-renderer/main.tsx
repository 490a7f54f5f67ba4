import './csp/zod-jitless.js';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { createTransport } from './api.js';
import { createAppStore } from './state/app-store.js';
import { StoreContext, TransportContext } from './state/store-context.js';
import { bindViewToLocation } from './state/view-location.js';
import { applyTheme, readTheme } from './state/theme.js';
import './tokens.css';
import './styles.css';
import './shell.css';

// The owner's theme before the first paint, so a dark choice never flashes light.
applyTheme(readTheme());
// The transport first: it takes web mode's token out of the hash, which then names the view.
const transport = createTransport();
const store = createAppStore(transport);
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
