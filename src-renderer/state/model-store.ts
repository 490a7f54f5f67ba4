import { createStore, type StoreApi } from 'zustand/vanilla';
import type { ModelStatus } from '../../src-shared/domain/model-status.js';
import type { Transport } from '../transport.js';
import { oncePerTransport } from './per-transport.js';

/** The model card's state: which model, where its key comes from (never the key). */
export interface ModelState {
  status: ModelStatus | null;
  error: string | null;
  refresh: () => Promise<void>;
  /** Stores the key in the OS keychain; resolves false (error shown) if it was refused. */
  saveKey: (key: string) => Promise<boolean>;
  clearKey: () => Promise<void>;
}

/** The model card's store. */
export type ModelStore = StoreApi<ModelState>;

function createModelStore(transport: Transport): ModelStore {
  const store = createStore<ModelState>()((set) => {
    const apply = (reply: Awaited<ReturnType<Transport['invoke']>>): boolean => {
      if (reply.ok) set({ status: reply.value as ModelStatus, error: null });
      else set({ error: reply.error.message });
      return reply.ok;
    };
    return {
      status: null,
      error: null,
      refresh: async () => void apply(await transport.invoke('model:status', {})),
      saveKey: async (key) => apply(await transport.invoke('modelkey:save', { key })),
      clearKey: async () => void apply(await transport.invoke('modelkey:clear', {})),
    };
  });
  // Every config edit, accepted or rejected, may change which model is in force.
  transport.on('allowlist:changed', () => void store.getState().refresh());
  transport.on('config:changed', () => void store.getState().refresh());
  transport.onConnection((state) => {
    if (state === 'connected') void store.getState().refresh();
  });
  void store.getState().refresh();
  return store;
}

/** The one model store per transport (the card appears on several views). */
export const modelStoreFor = oncePerTransport(createModelStore);
