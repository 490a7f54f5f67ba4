import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AuditReport } from '../../src-shared/domain/audit.js';
import type { Transport } from '../transport.js';
import { oncePerTransport } from './per-transport.js';
import { useTransport } from './store-context.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** What the Security view and the dashboard's findings card show. */
export interface SecurityState {
  /** Null until the first audit arrives. */
  report: AuditReport | null;
  /** A failed request, or null. */
  error: string | null;
  auditing: boolean;
  fixing: boolean;
  /** What the last "Fix safe issues" changed (null: not run since the view opened). */
  changes: string[] | null;
}

/** What the Security view can do. */
export interface SecurityActions {
  refresh: () => Promise<void>;
  fix: () => Promise<void>;
}

/** The security audit's store. */
export type SecurityStore = StoreApi<SecurityState & SecurityActions>;

/**
 * The audit's state over `transport`. It re-audits whenever the access config changes
 * (`allowlist:changed` fires on config edits) and on reconnecting, so the dashboard's count
 * follows edits made in an editor or by the CLI.
 */
export function createSecurityStore(transport: Transport): SecurityStore {
  let inFlight: Promise<void> | null = null;
  let again = false;
  const store = createStore<SecurityState & SecurityActions>()((set) => ({
    report: null,
    error: null,
    auditing: false,
    fixing: false,
    changes: null,

    refresh() {
      // An audit asks Docker: while one runs, queue at most one more instead of stacking them.
      if (inFlight) {
        again = true;
        return inFlight;
      }
      set({ auditing: true });
      inFlight = transport
        .invoke('security:audit', {})
        .then((reply) => {
          if (reply.ok) set({ report: reply.value, error: null });
          else set({ error: reply.error.message });
        })
        .catch((error: unknown) => set({ error: describeError(error) }))
        .finally(() => {
          inFlight = null;
          set({ auditing: false });
          if (again) {
            again = false;
            void store.getState().refresh();
          }
        });
      return inFlight;
    },

    async fix() {
      set({ fixing: true, error: null });
      try {
        const reply = await transport.invoke('security:fix', { confirm: true });
        if (reply.ok) {
          set({
            changes: reply.value.changes,
            report: { findings: reply.value.findings, checkedAt: Date.now() },
          });
        } else set({ error: reply.error.message });
      } catch (error) {
        set({ error: describeError(error) });
      } finally {
        set({ fixing: false });
      }
    },
  }));
  transport.on('allowlist:changed', () => void store.getState().refresh());
  transport.onConnection((state) => {
    if (state === 'connected') void store.getState().refresh();
  });
  return store;
}

/** The security store for `transport`, created once and shared by the view and the dashboard. */
export const securityStoreFor = oncePerTransport((transport): SecurityStore => {
  const store = createSecurityStore(transport);
  void store.getState().refresh();
  return store;
});

/**
 * Selects from the security store of this window's transport; null without a transport (web
 * mode without a token), when there is nothing to audit with.
 */
export function useSecurity<T>(selector: (state: SecurityState & SecurityActions) => T): T | null {
  const transport = useTransport();
  const store = transport ? securityStoreFor(transport) : null;
  // A store that never changes stands in when there is none, so the hook order stays fixed.
  return useStore(store ?? emptyStore, (state) => (store ? selector(state) : null));
}

const emptyStore: SecurityStore = createStore<SecurityState & SecurityActions>()(() => ({
  report: null,
  error: null,
  auditing: false,
  fixing: false,
  changes: null,
  refresh: () => Promise.resolve(),
  fix: () => Promise.resolve(),
}));
