import { createStore, type StoreApi } from 'zustand/vanilla';
import type { SandboxSummary } from '../../src-shared/domain/sandbox.js';
import type { Transport } from '../transport.js';
import { oncePerTransport } from './per-transport.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** What the Sandboxes view shows. */
export interface SandboxesState {
  /** Null until the first list arrives. */
  sandboxes: SandboxSummary[] | null;
  /** Why Docker could not be asked (then sandboxed tools fail closed), or null. */
  dockerError: string | null;
  /** A failed request (not Docker's answer), or null. */
  error: string | null;
  refreshing: boolean;
  /** Names of containers being stopped, to disable their buttons meanwhile. */
  stopping: readonly string[];
}

/** What the Sandboxes view can do. */
export interface SandboxesActions {
  refresh: () => Promise<void>;
  stop: (name: string) => Promise<void>;
}

/** The Sandboxes view's store. */
export type SandboxesStore = StoreApi<SandboxesState & SandboxesActions>;

/** The Sandboxes view's state over `transport`. */
export function createSandboxesStore(transport: Transport): SandboxesStore {
  let inFlight: Promise<void> | null = null;
  return createStore<SandboxesState & SandboxesActions>()((set, get) => ({
    sandboxes: null,
    dockerError: null,
    error: null,
    refreshing: false,
    stopping: [],

    refresh() {
      // The engine samples stats for a second per container: never stack two lists.
      if (inFlight) return inFlight;
      set({ refreshing: true });
      inFlight = transport
        .invoke('sandboxes:list', {})
        .then((reply) => {
          if (reply.ok) set({ ...reply.value, error: null });
          else set({ error: reply.error.message });
        })
        .catch((error: unknown) => set({ error: describeError(error) }))
        .finally(() => {
          inFlight = null;
          set({ refreshing: false });
        });
      return inFlight;
    },

    async stop(name) {
      set({ stopping: [...get().stopping, name], error: null });
      try {
        const reply = await transport.invoke('sandboxes:stop', { name });
        if (reply.ok) set({ ...reply.value });
        else set({ error: reply.error.message });
      } catch (error) {
        set({ error: describeError(error) });
      } finally {
        set({ stopping: get().stopping.filter((n) => n !== name) });
      }
    },
  }));
}

/** The Sandboxes store for `transport`, created once (the last list shows at once on return). */
export const sandboxesStoreFor = oncePerTransport(createSandboxesStore);
