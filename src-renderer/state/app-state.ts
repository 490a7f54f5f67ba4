import type { AllowlistEntry, PairingRequest } from '../../src-shared/domain/access.js';
import type { AllowlistOverview } from '../../src-shared/domain/allowlist-overview.js';
import type { KillReport } from '../../src-shared/domain/kill-switch.js';
import type {
  ConsoleMessage,
  ProviderAction,
  ProviderStatus,
} from '../../src-shared/domain/provider-status.js';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';
import type { InvokeChannel, StatusSnapshot } from '../../src-shared/ipc/contract.js';
import type { ConnectionState } from '../transport.js';
import type { View } from './view.js';

/** What the UI knows, all of it fed by contract replies and events (the renderer never polls). */
export interface AppState {
  connection: ConnectionState | 'no-token';
  view: View;
  snapshot: StatusSnapshot | null;
  /** Pending pairing requests; null until the first list arrives. */
  pending: PairingRequest[] | null;
  /** Allowlists, policies and the config's health; null until the first overview arrives. */
  allowlists: AllowlistOverview | null;
  /** Each messaging provider's connection state; null until the first list arrives. */
  providers: ProviderStatus[] | null;
  /** The owner's console chat, oldest first; null until the history arrives. */
  consoleMessages: readonly ConsoleMessage[] | null;
  /** Requests that arrived while this window was open and have not been looked at (toasts). */
  toasts: string[];
  /** The request shown in the click-to-approve dialog. */
  reviewing: string | null;
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
  showView: (view: View) => void;
  /** Approves a request, telling the sender (the UI always notifies: they are waiting). */
  approve: (request: PairingRequest) => Promise<void>;
  reject: (request: PairingRequest) => Promise<void>;
  removeEntry: (entry: AllowlistEntry) => Promise<void>;
  /** Opens the click-to-approve dialog for a request (from a toast, the tray or a notification). */
  review: (requestId: string) => void;
  closeReview: () => void;
  dismissToast: (requestId: string) => void;
  /** Takes in a new list of pending requests, raising a toast for each one not seen before. */
  receivePending: (pending: PairingRequest[]) => void;
  receiveAllowlists: (overview: AllowlistOverview) => void;
  /** Starts, stops or logs out a provider; the new state arrives as a `providers:changed` event. */
  controlProvider: (provider: MessagingProvider, action: ProviderAction) => Promise<void>;
  /** Sends the owner's line to the assistant; resolves false (the error is shown) if it failed. */
  sendConsoleMessage: (text: string) => Promise<boolean>;
  receiveProviders: (providers: ProviderStatus[]) => void;
  /** Takes in console lines from any source (history, events, send replies), deduplicated. */
  receiveConsoleMessages: (messages: readonly ConsoleMessage[]) => void;
  dismissError: () => void;
}

/** The whole store: state and actions. */
export type AppStoreState = AppState & AppActions;
