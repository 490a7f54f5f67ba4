import { createStore, type StoreApi } from 'zustand/vanilla';
import type {
  IncidentSecret,
  IncidentSecretId,
  SecurityPromptView,
} from '../../src-shared/domain/incident.js';
import type { InvokeOutput } from '../../src-shared/ipc/contract.js';
import type { Transport } from '../transport.js';
import { oncePerTransport } from './per-transport.js';

/** The `incident:get` reply. */
export type Incident = InvokeOutput<'incident:get'>;

/** What the Incident view shows. */
export interface IncidentState {
  incident: Incident | null;
  loadError: string | null;
  /** The tick (or untick) on its way to the supervisor, shown at once. */
  pending: PendingCheck | null;
  checkError: string | null;
  prompt: SecurityPromptView | null;
  saving: boolean;
  promptError: string | null;
  /** When the prompt was last saved from this window. */
  savedAt: number | null;
}

/** A checklist change not yet confirmed by the supervisor. */
export interface PendingCheck {
  item: IncidentSecretId;
  checked: boolean;
}

/**
 * Whether the box for `secret` shows a tick: the owner's click while it is being saved, else what
 * the supervisor stored. A box that springs back until the reply arrives looks ignored and
 * invites a second click, which would undo the first.
 */
export function shownAsChecked(secret: IncidentSecret, pending: PendingCheck | null): boolean {
  return pending?.item === secret.id ? pending.checked : secret.checkedAt !== null;
}

/** What the Incident view can do. */
export interface IncidentActions {
  load: () => Promise<void>;
  check: (item: IncidentSecretId, checked: boolean) => Promise<void>;
  savePrompt: (mode: 'extend' | 'replace', text: string) => Promise<boolean>;
}

/** The Incident view's store. */
export type IncidentStore = StoreApi<IncidentState & IncidentActions>;

/** The Incident view's state over `transport`; kept apart from the app store like the others. */
export function createIncidentStore(transport: Transport): IncidentStore {
  return createStore<IncidentState & IncidentActions>()((set, get) => {
    return {
      incident: null,
      loadError: null,
      pending: null,
      checkError: null,
      prompt: null,
      saving: false,
      promptError: null,
      savedAt: null,

      async load() {
        const [incident, prompt] = await Promise.all([
          transport.invoke('incident:get', {}),
          transport.invoke('securityprompt:get', {}),
        ]);
        if (!incident.ok) return set({ loadError: incident.error.message });
        if (!prompt.ok) return set({ incident: incident.value, loadError: prompt.error.message });
        set({ incident: incident.value, prompt: prompt.value, loadError: null });
      },

      async check(item, checked) {
        const incident = get().incident;
        if (!incident) return;
        set({ pending: { item, checked }, checkError: null });
        const reply = await transport.invoke('incident:check', {
          incident: incident.id,
          item,
          checked,
        });
        if (!reply.ok) return set({ pending: null, checkError: reply.error.message });
        const now = get().incident;
        // Applied only to the incident it was asked for: a kill meanwhile starts a new list.
        if (now && now.id === incident.id) set({ incident: { ...now, secrets: reply.value } });
        set({ pending: null });
      },

      async savePrompt(mode, text) {
        set({ saving: true, promptError: null });
        const reply = await transport.invoke('securityprompt:set', { mode, text });
        if (!reply.ok) {
          set({ saving: false, promptError: reply.error.message });
          return false;
        }
        set({ saving: false, prompt: reply.value, savedAt: Date.now() });
        return true;
      },
    };
  });
}

/** The Incident store for `transport`, created once (ticks in flight survive a view switch). */
export const incidentStoreFor = oncePerTransport(createIncidentStore);
