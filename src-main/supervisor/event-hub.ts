import type { EventName, EventPayload } from '../../src-shared/ipc/contract.js';
import { processRedactor } from '../logging/redact.js';

/** A listener for every contract event: what a transport (a window, a socket) forwards whole. */
export type AnyEventListener = <E extends EventName>(event: E, payload: EventPayload<E>) => void;

/** A listener for one contract event, given that event's payload type. */
export type EventListener<E extends EventName> = (payload: EventPayload<E>) => void;

/**
 * Fans contract events out to every transport (Electron windows, WebSocket clients, the tray).
 * A listener for one event (`on`) receives that event's payload, typed, so nothing downstream
 * casts; a transport takes every event (`subscribe`). Subscriptions end with an AbortSignal, so
 * a closed window cannot leak a listener.
 */
export class EventHub {
  private readonly anyListeners = new Set<AnyEventListener>();
  private readonly byEvent: { [E in EventName]?: Set<EventListener<E>> } = {};

  /** Calls `listener` with every event until `signal` aborts (for transports that forward all). */
  subscribe(listener: AnyEventListener, signal?: AbortSignal): void {
    if (signal?.aborted) return;
    this.anyListeners.add(listener);
    signal?.addEventListener('abort', () => this.anyListeners.delete(listener), { once: true });
  }

  /** Calls `listener` with each `event`'s payload until `signal` aborts. */
  on<E extends EventName>(event: E, listener: EventListener<E>, signal: AbortSignal): void {
    if (signal.aborted) return;
    const registered: Set<EventListener<E>> = this.listenersOf(event);
    registered.add(listener);
    signal.addEventListener('abort', () => registered.delete(listener), { once: true });
  }

  /**
   * Sends an event to every subscriber. Secrets are scrubbed here, once, whatever the source:
   * an event may carry a model's text, a tool's output or an error quoting a token.
   */
  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    const safe = processRedactor.redactValue(payload);
    for (const listener of this.listenersOf(event)) listener(safe);
    for (const listener of this.anyListeners) listener(event, safe);
  }

  private listenersOf<E extends EventName>(event: E): Set<EventListener<E>> {
    const byEvent: { [K in E]?: Set<EventListener<K>> } = this.byEvent;
    return (byEvent[event] ??= new Set());
  }
}
