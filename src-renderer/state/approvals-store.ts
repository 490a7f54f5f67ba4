import { useStore } from 'zustand';
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { AllowEntry } from '../../src-shared/config/approvals-schema.js';
import type {
  ApprovalChoice,
  ApprovalRequest,
  ApprovalsOverview,
} from '../../src-shared/domain/approvals.js';
import type { Transport } from '../transport.js';
import { oncePerTransport } from './per-transport.js';
import { useTransport } from './store-context.js';

/** Exec approvals as the window sees them: pending requests, history, allowlist. */
export interface ApprovalsState {
  overview: ApprovalsOverview | null;
  error: string | null;
  /** Decides; with `always`, `entry` is the pattern the owner edited the command into. */
  decide: (
    id: string,
    choice: ApprovalChoice,
    entry?: Pick<AllowEntry, 'command' | 'match'>,
  ) => Promise<void>;
  addEntry: (entry: Pick<AllowEntry, 'command' | 'match' | 'where'>) => Promise<boolean>;
  removeEntry: (entry: Pick<AllowEntry, 'command' | 'match' | 'where'>) => Promise<void>;
}

/** The approvals store. */
export type ApprovalsStore = StoreApi<ApprovalsState>;

function createApprovalsStore(transport: Transport): ApprovalsStore {
  const store = createStore<ApprovalsState>()((set) => {
    const refresh = async (): Promise<void> => {
      const reply = await transport.invoke('approvals:list', {});
      if (reply.ok) set({ overview: reply.value });
    };
    return {
      overview: null,
      error: null,
      decide: async (id, choice, entry) => {
        const reply = await transport.invoke('approvals:decide', {
          id,
          choice,
          ...(entry ? { entry } : {}),
        });
        set({ error: reply.ok ? null : reply.error.message });
        await refresh();
      },
      addEntry: async (entry) => {
        const reply = await transport.invoke('approvallist:add', entry);
        set({ error: reply.ok ? null : reply.error.message });
        await refresh();
        return reply.ok;
      },
      removeEntry: async (entry) => {
        const reply = await transport.invoke('approvallist:remove', entry);
        set({ error: reply.ok ? null : reply.error.message });
        await refresh();
      },
    };
  });
  transport.on('approvals:changed', (overview) => store.setState({ overview }));
  transport.onConnection((state) => {
    if (state !== 'connected') return;
    void transport.invoke('approvals:list', {}).then((reply) => {
      if (reply.ok) store.setState({ overview: reply.value });
    });
  });
  void transport.invoke('approvals:list', {}).then((reply) => {
    if (reply.ok) store.setState({ overview: reply.value });
  });
  return store;
}

/** The one approvals store per transport (the dialog, the badge and the view share it). */
export const approvalsStoreFor = oncePerTransport(createApprovalsStore);

// One empty list: a selector returning a new [] each time would re-render without end.
const NONE: readonly ApprovalRequest[] = [];

// Stands in when there is no transport, so the hook order stays fixed.
const emptyStore: ApprovalsStore = createStore<ApprovalsState>()(() => ({
  overview: null,
  error: null,
  decide: () => Promise.resolve(),
  addEntry: () => Promise.resolve(false),
  removeEntry: () => Promise.resolve(),
}));

/** The commands waiting for the owner, oldest first (none without a transport). */
export function usePendingApprovals(): readonly ApprovalRequest[] {
  const transport = useTransport();
  return useStore(transport ? approvalsStoreFor(transport) : emptyStore, (s) =>
    s.overview ? s.overview.pending : NONE,
  );
}
