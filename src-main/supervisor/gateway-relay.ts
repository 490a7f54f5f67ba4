import { randomUUID } from 'node:crypto';
import { AppError } from '../../src-shared/domain/app-error.js';
import type {
  ConsoleMessage,
  ProviderAction,
  ProviderStatus,
} from '../../src-shared/domain/provider-status.js';
import { MESSAGING_PROVIDERS, type MessagingProvider } from '../../src-shared/domain/providers.js';
import type { EventHub } from './event-hub.js';
import type { GatewayManager } from './gateway-manager.js';

const CONSOLE_HISTORY = 200;

/**
 * What the UI sees of the gateway's insides: provider statuses and the console chat. The
 * gateway reports them over the protocol; while it is not running, every provider is shown
 * stopped (nothing can be connected without it).
 */
export class GatewayRelay {
  private statuses: ProviderStatus[];
  private readonly history: ConsoleMessage[] = [];

  constructor(
    private readonly manager: GatewayManager,
    private readonly events: EventHub,
  ) {
    this.statuses = MESSAGING_PROVIDERS.map((provider) => ({
      provider,
      state: 'stopped',
      account: null,
      qr: null,
      lastError: null,
      lastErrorAt: null,
      since: Date.now(),
    }));
    manager.onGatewayReport((report) => {
      switch (report.type) {
        case 'providers':
          this.setStatuses(report.statuses);
          break;
        case 'console':
          this.record(report.message);
          break;
        case 'sessions-changed':
          // Transcripts are read from SQLite (see SessionsAdmin), not relayed from here.
          break;
      }
    });
    manager.onChange((status) => {
      if (status.state === 'running') return;
      const now = Date.now();
      this.setStatuses(
        this.statuses.map((s) =>
          s.state === 'disabled' || s.state === 'stopped'
            ? s
            : { ...s, state: 'stopped', qr: null, since: now },
        ),
      );
    });
  }

  providers(): ProviderStatus[] {
    return this.statuses;
  }

  controlProvider(provider: MessagingProvider, action: ProviderAction): ProviderStatus[] {
    if (!this.manager.send({ type: 'provider-control', provider, action })) {
      throw new AppError(
        'UNAVAILABLE',
        `the gateway is not running: start it before you ${action} ${provider}`,
      );
    }
    return this.statuses;
  }

  /** The owner's console line: recorded, then handled by the gateway in the `main` session. */
  consoleSend(text: string): ConsoleMessage {
    const message: ConsoleMessage = { id: randomUUID(), role: 'owner', text, at: Date.now() };
    if (!this.manager.send({ type: 'console', id: message.id, text })) {
      throw new AppError(
        'UNAVAILABLE',
        'the gateway is not running: start it to talk to the assistant',
      );
    }
    this.record(message);
    return message;
  }

  consoleHistory(): ConsoleMessage[] {
    return [...this.history];
  }

  private record(message: ConsoleMessage): void {
    this.history.push(message);
    if (this.history.length > CONSOLE_HISTORY) this.history.shift();
    this.events.emit('console:message', message);
  }

  private setStatuses(statuses: ProviderStatus[]): void {
    if (JSON.stringify(statuses) === JSON.stringify(this.statuses)) return;
    this.statuses = statuses;
    this.events.emit('providers:changed', statuses);
  }
}
