import type { EventName, EventPayload } from '../../src-shared/ipc/contract.js';
import { processRedactor } from '../logging/redact.js';

/** A listener for any contract event. */
export type AnyEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/**
 * Fans contract events out to every transport (Electron windows, WebSocket clients, the tray).
 * Subscriptions end with an AbortSignal, so a closed window cannot leak a listener.
 */
export class EventHub {
  private readonly listeners = new Set<AnyEventListener>();

  subscribe(listener: AnyEventListener, signal?: AbortSignal): void {
    if (signal?.aborted) return;
    this.listeners.add(listener);
    signal?.addEventListener('abort', () => this.listeners.delete(listener), { once: true });
  }

  /**
   * Sends an event to every subscriber. Secrets are scrubbed here, once, whatever the source:
   * an event may carry a model's text, a tool's output or an error quoting a token.
   */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const safe = processRedactor.redactValue(payload);
    for (const listener of this.listeners) listener(event, safe);
  }
}
