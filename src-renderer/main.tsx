import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { createTransport } from './api.js';
import { createAppStore } from './state/app-store.js';
import { StoreContext } from './state/store-context.js';
import { bindViewToLocation } from './state/view-location.js';
import './styles.css';

// The transport first: it takes web mode's token out of the hash, which then names the view.
const store = createAppStore(createTransport());
bindViewToLocation(store);
const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <StoreContext.Provider value={store}>
      <App />
    </StoreContext.Provider>
  </StrictMode>,
);
