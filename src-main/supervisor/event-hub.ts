import type { EventName, EventPayload } from '../../src-shared/ipc/contract.js';

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

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(event, payload);
  }
}
