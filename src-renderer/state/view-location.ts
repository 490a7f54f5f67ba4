import type { StoreApi } from 'zustand';
import { viewFromHash } from './view.js';
import { type AppStoreState } from './app-state.js';

/**
 * Mirrors the current view in the location hash (`#pairing`), so a reload stays on the same view
 * and Back returns to the previous one. Call it after api.ts has taken web mode's token out of
 * the hash.
 */
export function bindViewToLocation(store: StoreApi<AppStoreState>): () => void {
  store.getState().showView(viewFromHash(location.hash));
  const onHashChange = (): void => store.getState().showView(viewFromHash(location.hash));
  window.addEventListener('hashchange', onHashChange);
  const unsubscribe = store.subscribe((state, previous) => {
    if (state.view !== previous.view && viewFromHash(location.hash) !== state.view)
      history.pushState(null, '', `#${state.view}`);
  });
  return () => {
    window.removeEventListener('hashchange', onHashChange);
    unsubscribe();
  };
}
