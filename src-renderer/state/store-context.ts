import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { Transport } from '../transport.js';
import type { AppStore } from './app-store.js';
import { type AppActions, type AppState } from './app-state.js';

/** The store, provided once at the root so components (and tests) never reach for a global. */
export const StoreContext = createContext<AppStore | null>(null);

/** Selects from the app store. */
export function useApp<T>(selector: (state: AppState & AppActions) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp must be used inside <StoreContext.Provider>');
  return useStore(store, selector);
}

/**
 * The line to the supervisor (null in web mode without a token), for views that keep their
 * own store (sessions, sandboxes, logs) instead of growing the app store.
 */
export const TransportContext = createContext<Transport | null>(null);

/** The transport, or null when there is none (web mode without a token). */
export function useTransport(): Transport | null {
  return useContext(TransportContext);
}
