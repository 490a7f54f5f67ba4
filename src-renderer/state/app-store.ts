import { create } from 'zustand';
import type { KillReport } from '../../src-shared/domain/kill-switch.js';
import type {
  InvokeChannel,
  InvokeInput,
  InvokeOutput,
  StatusSnapshot,
} from '../../src-shared/ipc/contract.js';
import type { ConnectionState, Transport } from '../transport.js';

/** What the UI knows, all of it fed by contract replies and events (the renderer never polls). */
export interface AppState {
  connection: ConnectionState | 'no-token';
  snapshot: StatusSnapshot | null;
  /** Which action is waiting for its reply, to disable its button meanwhile. */
  busy: InvokeChannel | null;
  /** The last failed action's message, shown until the next action. */
  error: string | null;
  /** The report of a kill this window triggered (the persisted one comes with the snapshot). */
  lastReport: KillReport | null;
}

/** The store's actions. */
export interface AppActions {
  engageKillSwitch: (reason?: string) => Promise<void>;
  rearm: () => Promise<void>;
  startGateway: () => Promise<void>;
  stopGateway: () => Promise<void>;
  restartGateway: () => Promise<void>;
  dismissError: () => void;
}

/** Creates the store bound to a transport (or to none, when web mode has no token). */
export function createAppStore(transport: Transport | null) {
  return create<AppState & AppActions>()((set, get) => {
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

    if (transport) {
      transport.on('gateway:changed', (gateway) => {
        const snapshot = get().snapshot;
        if (snapshot) set({ snapshot: { ...snapshot, gateway } });
        else void refresh();
      });
      transport.on('killswitch:changed', (killSwitch) => {
        const snapshot = get().snapshot;
        if (snapshot) set({ snapshot: { ...snapshot, killSwitch } });
        else void refresh();
      });
      transport.onConnection((connection) => {
        set({ connection });
        // After (re)connecting, the snapshot may be stale: events sent while away were missed.
        if (connection === 'connected') void refresh();
      });
    }

    return {
      connection: transport ? 'connecting' : 'no-token',
      snapshot: null,
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
      dismissError() {
        set({ error: null });
      },
    };
  });
}

/** The app's store hook type. */
export type AppStore = ReturnType<typeof createAppStore>;
