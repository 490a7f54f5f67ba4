import type {
  EventName,
  EventPayload,
  InvokeChannel,
  InvokeInput,
  InvokeOutput,
} from './contract.js';
import type { Envelope } from './envelope.js';

/**
 * Exactly what the sandboxed preload exposes to the renderer as `window.clawdbot`: one way to
 * call the contract and one way to listen to its events. Nothing else crosses.
 */
export interface ClawdbotBridge {
  invoke<C extends InvokeChannel>(
    channel: C,
    input: InvokeInput<C>,
  ): Promise<Envelope<InvokeOutput<C>>>;
  /** Subscribes to an event; returns the unsubscribe function. */
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
}

/** The Electron IPC channel the preload invokes the contract on. */
export const BRIDGE_INVOKE_CHANNEL = 'clawdbot:invoke';
/** The Electron IPC channel the main process pushes contract events on. */
export const BRIDGE_EVENT_CHANNEL = 'clawdbot:event';
