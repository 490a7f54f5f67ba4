import type { Config } from '../../../src-shared/config/schema.js';
import type { ProviderAction, ProviderStatus } from '../../../src-shared/domain/provider-status.js';
import {
  MESSAGING_PROVIDERS,
  type MessagingProvider,
} from '../../../src-shared/domain/providers.js';
import type { Logger } from '../../logging/logger.js';
import type { OutboundChannel } from '../outbound/outbound-channel.js';
import type {
  ProviderFactory,
  ProviderHost,
  ProviderReport,
  ProviderRuntime,
} from './provider-runtime.js';
import type { AutoStartRule } from './registry.js';

/** What the manager needs from the gateway. */
export interface ProviderManagerOptions {
  factories: Partial<Record<MessagingProvider, ProviderFactory>>;
  /** Whether a provider starts with the gateway; explicit starts skip this. Absent: always. */
  autoStart?: Partial<Record<MessagingProvider, AutoStartRule>>;
  /** Records inbound messages in the inbox (see `ProviderHost.inbound`). */
  inbound: (envelopes: readonly unknown[]) => Promise<void>;
  /** Offers a connected provider's `send` and typing to the outbound router; returns the undo. */
  registerChannel: (channel: OutboundChannel) => () => void;
  onStatuses: (statuses: ProviderStatus[]) => void;
  log: Logger;
  stateDir: string;
  now?: () => number;
  /** Button presses under the bot's messages (see `ProviderHost.buttonPress`). */
  buttonPress?: ProviderHost['buttonPress'];
  /** The keychain's bot token (see `ProviderHost.keychainToken`). */
  keychainToken?: ProviderHost['keychainToken'];
}

/**
 * Starts the configured providers, keeps their statuses, and carries out the owner's
 * start/stop/logout. A provider's `send` is offered to the gateway only while it is connected.
 */
export class ProviderManager {
  private readonly runtimes = new Map<MessagingProvider, ProviderRuntime>();
  private readonly statuses = new Map<MessagingProvider, ProviderStatus>();
  private readonly unregister = new Map<MessagingProvider, () => void>();
  private config: Config | null = null;
  private readonly now: () => number;

  constructor(private readonly options: ProviderManagerOptions) {
    this.now = options.now ?? Date.now;
    for (const provider of MESSAGING_PROVIDERS) {
      this.statuses.set(provider, {
        provider,
        state: 'disabled',
        account: null,
        qr: null,
        lastError: null,
        lastErrorAt: null,
        since: this.now(),
      });
    }
  }

  list(): ProviderStatus[] {
    return MESSAGING_PROVIDERS.map((p) => this.statuses.get(p)!);
  }

  /** Starts every provider the config enables. */
  async startAll(config: Config): Promise<void> {
    this.config = config;
    await Promise.all(MESSAGING_PROVIDERS.map((provider) => this.start(provider, false)));
  }

  /**
   * Applies a reloaded config: providers whose connection settings changed (a new token, turned
   * on or off) are restarted or stopped; access settings need nothing here (the access gate
   * follows the config itself).
   */
  async applyConfig(config: Config): Promise<void> {
    const previous = this.config;
    this.config = config;
    await Promise.all(
      MESSAGING_PROVIDERS.map(async (provider) => {
        if (
          previous &&
          connectionSettings(previous, provider) === connectionSettings(config, provider)
        )
          return;
        if (this.runtimes.has(provider)) await this.stop(provider, 'stopped');
        await this.start(provider, false);
      }),
    );
  }

  /**
   * A secret the provider may connect with changed outside the config (the keychain's token):
   * it is started again with what is there now, or stays off when nothing is.
   */
  async reconnect(provider: MessagingProvider): Promise<void> {
    if (!this.config) return;
    if (this.runtimes.has(provider)) await this.stop(provider, 'stopped');
    await this.start(provider, false);
  }

  async control(provider: MessagingProvider, action: ProviderAction): Promise<void> {
    switch (action) {
      case 'start':
        await this.start(provider, true);
        return;
      case 'stop':
        await this.stop(provider, 'stopped');
        return;
      case 'logout': {
        const runtime = this.runtimes.get(provider) ?? this.build(provider, true);
        if (!runtime) return;
        await runtime.logout();
        await this.stop(provider, 'logged-out');
        return;
      }
    }
  }

  async stopAll(): Promise<void> {
    await Promise.all(MESSAGING_PROVIDERS.map((p) => this.stop(p, 'stopped')));
  }

  private build(provider: MessagingProvider, explicit: boolean): ProviderRuntime | null {
    const factory = this.options.factories[provider];
    if (!factory || !this.config) {
      this.update(provider, {
        state: 'disabled',
        lastError: explicit ? `${provider} is not available in this build` : null,
      });
      return null;
    }
    const built = factory(this.config, {
      inbound: this.options.inbound,
      report: (update) => this.update(provider, update),
      log: this.options.log.child(provider),
      stateDir: this.options.stateDir,
      buttonPress: this.options.buttonPress,
      keychainToken: this.options.keychainToken,
    });
    if ('disabled' in built) {
      this.update(
        provider,
        explicit ? { state: 'error', lastError: built.disabled } : { state: 'disabled' },
      );
      return null;
    }
    return built;
  }

  private async start(provider: MessagingProvider, explicit: boolean): Promise<void> {
    if (this.runtimes.has(provider)) return;
    const autoStart = this.options.autoStart?.[provider];
    if (!explicit && this.config && autoStart && !autoStart(this.config, this.options.stateDir)) {
      this.update(provider, { state: 'disabled' });
      return;
    }
    const runtime = this.build(provider, explicit);
    if (!runtime) return;
    this.runtimes.set(provider, runtime);
    this.update(provider, { state: 'connecting', qr: null });
    await runtime.start();
  }

  private async stop(provider: MessagingProvider, state: 'stopped' | 'logged-out'): Promise<void> {
    const runtime = this.runtimes.get(provider);
    this.runtimes.delete(provider);
    this.unregister.get(provider)?.();
    this.unregister.delete(provider);
    if (runtime) await runtime.stop();
    const current = this.statuses.get(provider)!;
    if (runtime || state === 'logged-out' || current.state === 'error')
      this.update(provider, { state, qr: null });
  }

  private update(provider: MessagingProvider, report: ProviderReport): void {
    const previous = this.statuses.get(provider)!;
    const now = this.now();
    const next: ProviderStatus = {
      provider,
      state: report.state,
      account:
        report.account !== undefined
          ? report.account
          : report.state === 'connected'
            ? previous.account
            : report.state === 'logged-out'
              ? null
              : previous.account,
      qr: report.state === 'qr' ? (report.qr ?? previous.qr) : null,
      lastError:
        report.lastError !== undefined && report.lastError !== null
          ? report.lastError
          : previous.lastError,
      lastErrorAt: report.lastError ? now : previous.lastErrorAt,
      since: report.state === previous.state ? previous.since : now,
    };
    this.statuses.set(provider, next);
    const runtime = this.runtimes.get(provider);
    if (next.state === 'connected' && runtime && !this.unregister.has(provider)) {
      this.unregister.set(
        provider,
        this.options.registerChannel({
          provider,
          send: (chatId, text, sendOptions) => runtime.send(chatId, text, sendOptions),
          typing: (chatId) => runtime.typing(chatId),
        }),
      );
    } else if (next.state !== 'connected' && this.unregister.has(provider)) {
      this.unregister.get(provider)?.();
      this.unregister.delete(provider);
    }
    if (next.state === 'error' || next.state === 'logged-out') {
      // A provider that stopped itself (bad token, unlinked) is not running any more.
      this.runtimes.delete(provider);
    }
    this.options.onStatuses(this.list());
  }

  /** The runtime of a provider, while it runs. */
  runtime(provider: MessagingProvider): ProviderRuntime | undefined {
    return this.runtimes.get(provider);
  }
}

/** The settings that decide whether and how a provider connects (not who may talk to it). */
function connectionSettings(config: Config, provider: MessagingProvider): string {
  if (provider === 'telegram') {
    const { enabled, botToken, tokenFile, apiRoot } = config.telegram;
    return JSON.stringify({ enabled, botToken, tokenFile, apiRoot });
  }
  return JSON.stringify({ enabled: config.whatsapp.enabled });
}
