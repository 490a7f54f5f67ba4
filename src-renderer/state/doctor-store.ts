import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { DoctorReport } from '../../src-shared/domain/doctor.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import type { Transport } from '../transport.js';
import { oncePerTransport } from './per-transport.js';
import { useTransport } from './store-context.js';

/** What the dashboard's set-up card shows: `clawdbot doctor`'s checks. */
export interface DoctorState {
  /** Null until the first report arrives. */
  report: DoctorReport | null;
  /** A failed request, or null. */
  error: string | null;
  checking: boolean;
}

/** What the set-up card can do. */
export interface DoctorActions {
  refresh: () => Promise<void>;
}

/** The set-up checks' store. */
export type DoctorStore = StoreApi<DoctorState & DoctorActions>;

/**
 * The checks over `transport`, run on connecting and on request only: one run asks Telegram
 * and the model once each (a model request costs a few tokens), so it is not repeated on every
 * visit to the dashboard.
 */
export function createDoctorStore(transport: Transport): DoctorStore {
  let inFlight: Promise<void> | null = null;
  const store = createStore<DoctorState & DoctorActions>()((set) => ({
    report: null,
    error: null,
    checking: false,
    refresh() {
      if (inFlight) return inFlight;
      set({ checking: true });
      inFlight = transport
        .invoke('doctor:run', {})
        .then((reply) => {
          if (reply.ok) set({ report: reply.value, error: null });
          else set({ error: reply.error.message });
        })
        .catch((error: unknown) => set({ error: describeError(error) }))
        .finally(() => {
          inFlight = null;
          set({ checking: false });
        });
      return inFlight;
    },
  }));
  transport.onConnection((state) => {
    if (state === 'connected' && store.getState().report === null) void store.getState().refresh();
  });
  return store;
}

/** The doctor store for `transport`, created once. */
export const doctorStoreFor = oncePerTransport(createDoctorStore);

/** Selects from the doctor store of this window's transport; null without a transport. */
export function useDoctor<T>(selector: (state: DoctorState & DoctorActions) => T): T | null {
  const transport = useTransport();
  const store = transport ? doctorStoreFor(transport) : null;
  // A store that never changes stands in when there is none, so the hook order stays fixed.
  return useStore(store ?? emptyStore, (state) => (store ? selector(state) : null));
}

const emptyStore: DoctorStore = createStore<DoctorState & DoctorActions>()(() => ({
  report: null,
  error: null,
  checking: false,
  refresh: () => Promise.resolve(),
}));
