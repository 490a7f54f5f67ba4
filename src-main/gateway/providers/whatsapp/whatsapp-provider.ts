import type { Config } from '../../../../src-shared/config/schema.js';
import type { ProviderFactory, ProviderHost, ProviderRuntime } from '../provider-runtime.js';
import { clearAuthState, isWhatsAppLinked } from './auth-state.js';
import type { WhatsAppConnection, WhatsAppConnectionOptions } from './whatsapp-connection.js';
import { describeError } from '../../../../src-shared/errors/describe-error.js';

/** Why WhatsApp does not start on its own: nothing is linked and the config does not ask. */
export const WHATSAPP_NOT_LINKED =
  'WhatsApp is not linked: run clawdbot whatsapp login or press Link in the Providers view';

/** Options of the WhatsApp provider; tests swap the socket and shorten the reconnect waits. */
export type WhatsAppProviderOptions = Omit<WhatsAppConnectionOptions, 'host'>;

/**
 * Whether WhatsApp starts with the gateway: when `whatsapp.enabled` is set, or when a device is
 * already linked. An explicit start (Link in the Providers view) always builds it, which is how
 * an unlinked WhatsApp gets its first QR code.
 */
export function whatsappAutoStart(config: Config, stateDir: string): boolean {
  return config.whatsapp.enabled || isWhatsAppLinked(stateDir);
}

/**
 * Builds WhatsApp provider factories. The runtime it returns is light: Baileys (about a second
 * and a half to load) is imported only when the provider actually starts, so a gateway or a CLI
 * command that never uses WhatsApp does not pay for it.
 */
export function createWhatsAppProviderFactory(
  options: WhatsAppProviderOptions = {},
): ProviderFactory {
  return (_config, host) => new WhatsAppProviderRuntime(host, options);
}

/** The WhatsApp provider (Baileys, as a linked device), as the gateway's registry uses it. */
export const createWhatsAppProvider: ProviderFactory = createWhatsAppProviderFactory();

export class WhatsAppProviderRuntime implements ProviderRuntime {
  readonly id = 'whatsapp' as const;
  private connection: WhatsAppConnection | null = null;
  private starting: Promise<void> | null = null;
  private stopped = false;

  constructor(
    private readonly host: ProviderHost,
    private readonly options: WhatsAppProviderOptions,
  ) {}

  start(): Promise<void> {
    this.starting ??= this.open();
    return this.starting;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.starting;
    await this.connection?.stop();
  }

  async logout(): Promise<void> {
    this.stopped = true;
    await this.starting;
    if (this.connection) await this.connection.logout();
    else await clearAuthState(this.host.stateDir);
  }

  send(chatId: string, text: string): Promise<void> {
    if (!this.connection) return Promise.reject(new Error('WhatsApp is not connected'));
    return this.connection.send(chatId, text);
  }

  typing(chatId: string): () => void {
    return this.connection?.typing(chatId) ?? (() => undefined);
  }

  /** Resolves once every message received so far has been recorded (for tests and benches). */
  async idle(): Promise<void> {
    await this.starting;
    await this.connection?.idle();
  }

  private async open(): Promise<void> {
    let Connection: typeof WhatsAppConnection;
    try {
      ({ WhatsAppConnection: Connection } = await import('./whatsapp-connection.js'));
    } catch (error) {
      const reason = describeError(error);
      this.host.log.error('whatsapp could not load', { error: reason });
      this.host.report({ state: 'error', lastError: `WhatsApp could not load: ${reason}` });
      return;
    }
    if (this.stopped) return;
    this.connection = new Connection({ ...this.options, host: this.host });
    await this.connection.start();
  }
}
