import { create } from 'zustand';
import type { PairingRequest } from '../../src-shared/domain/access.js';
import type {
  InvokeChannel,
  InvokeInput,
  InvokeOutput,
  StatusSnapshot,
} from '../../src-shared/ipc/contract.js';
import type { Envelope } from '../../src-shared/ipc/envelope.js';
import type { Transport } from '../transport.js';
import { newPairingRequests } from '../../src-shared/domain/pairing-display.js';
import { mergeConsoleMessages } from './console-messages.js';
import { syncWithTransport } from './transport-sync.js';
import type { AppStoreState } from './app-state.js';

/**
 * Creates the store bound to a transport (or to none, when web mode has no token). `early` is a
 * status snapshot asked for before the store existed (the page's first script asks while the app's code loads):
 * taken in if it arrives before any other.
 */
export function createAppStore(
  transport: Transport | null,
  early: Promise<Envelope<StatusSnapshot>> | null = null,
) {
  const store = create<AppStoreState>()((set, get) => {
    async function call<C extends InvokeChannel>(
      channel: C,
      input: InvokeInput<C>,
    ): Promise<InvokeOutput<C> | null> {
      if (!transport) {
        // Never fail silently: an owner pressing the kill switch must know it did nothing.
        set({ error: 'Not connected: open the URL printed by `clawdbot supervise --web`' });
        return null;
      }
      set({ busy: channel, error: null });
      const reply = await transport.invoke(channel, input);
      set({ busy: null });
      if (!reply.ok) {
        set({ error: reply.error.message });
        return null;
      }
      return reply.value;
    }

    const refresh = async (): Promise<void> => {
      if (!transport) return;
      const reply = await transport.invoke('status:get', {});
      if (reply.ok) set({ snapshot: reply.value });
    };

    /** Drops a handled request at once; the supervisor's event confirms it a moment later. */
    const settled = (request: PairingRequest): void => {
      const { pending, reviewing } = get();
      set({
        pending: pending?.filter((r) => r.id !== request.id) ?? null,
        toasts: get().toasts.filter((id) => id !== request.id),
        reviewing: reviewing === request.id ? null : reviewing,
      });
    };

    return {
      connection: transport ? 'connecting' : 'no-token',
      view: 'dashboard',
      snapshot: null,
      pending: null,
      allowlists: null,
      providers: null,
      consoleMessages: null,
      toasts: [],
      reviewing: null,
      busy: null,
      error: null,
      lastReport: null,
      async engageKillSwitch(reason) {
        const trimmed = reason?.trim();
        const report = await call('killswitch:engage', trimmed ? { reason: trimmed } : {});
        if (report) set({ lastReport: report });
        await refresh();
      },
      async rearm() {
        await call('killswitch:rearm', { confirm: true });
        await refresh();
      },
      async startGateway() {
        await call('gateway:start', {});
      },
      async stopGateway() {
        await call('gateway:stop', {});
      },
      async restartGateway() {
        await call('gateway:restart', {});
      },
      showView(view) {
        set({ view });
      },
      async approve(request) {
        const approval = await call('pairing:approve', {
          provider: request.provider,
          code: request.code,
          notify: true,
        });
        if (approval) settled(request);
      },
      async reject(request) {
        const rejected = await call('pairing:reject', {
          provider: request.provider,
          code: request.code,
        });
        if (rejected) settled(request);
      },
      async removeEntry(entry) {
        const overview = await call('allowlist:remove', {
          provider: entry.provider,
          kind: entry.kind,
          id: entry.id,
        });
        if (overview) set({ allowlists: overview });
      },
      review(requestId) {
        set({
          reviewing: requestId,
          toasts: get().toasts.filter((id) => id !== requestId),
          // A stale error from another action would read as if it were about this request.
          error: null,
        });
      },
      closeReview() {
        set({ reviewing: null });
      },
      dismissToast(requestId) {
        set({ toasts: get().toasts.filter((id) => id !== requestId) });
      },
      receivePending(pending) {
        const previous = get().pending;
        // The first list is the baseline: what was already waiting is not news to this window.
        const fresh =
          previous === null ? [] : newPairingRequests(previous, pending).map((r) => r.id);
        const live = new Set(pending.map((r) => r.id));
        set({ pending, toasts: [...get().toasts.filter((id) => live.has(id)), ...fresh] });
      },
      receiveAllowlists(allowlists) {
        set({ allowlists });
      },
      async controlProvider(provider, action) {
        // The reply is the state before the gateway acted on it; the event that follows is news.
        await call('providers:control', { provider, action });
      },
      async sendConsoleMessage(text) {
        const message = await call('console:send', { text });
        if (!message) return false;
        get().receiveConsoleMessages([message]);
        return true;
      },
      receiveProviders(providers) {
        set({ providers });
      },
      receiveConsoleMessages(messages) {
        const existing = get().consoleMessages;
        const merged = mergeConsoleMessages(existing ?? [], messages);
        if (merged !== existing) set({ consoleMessages: merged });
      },
      dismissError() {
        set({ error: null });
      },
    };
  });
  // Subscribed after creation: a transport that reports its state synchronously (Electron's
  // bridge) would otherwise write into a store whose initial state then overwrites it.
  if (transport) syncWithTransport(store, transport);
  void early?.then((reply) => {
    if (reply.ok && store.getState().snapshot === null) store.setState({ snapshot: reply.value });
  });
  return store;
}

/** The app's store hook type. */
export type AppStore = ReturnType<typeof createAppStore>;
