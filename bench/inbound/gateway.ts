import type { Envelope } from '../../src-shared/domain/envelope.js';
import {
  composeGateway,
  type Gateway as ComposedGateway,
} from '../../src-main/gateway/gateway-composition.js';
import type { Delivery } from '../../src-main/gateway/inbound/delivery.js';
import type { ProviderFactory } from '../../src-main/gateway/providers/provider-runtime.js';
import { createTelegramProvider } from '../../src-main/gateway/providers/telegram/telegram-provider.js';
import { silentLogger } from '../../src-main/logging/logger.js';
import type { InboxRepo } from '../../src-main/store/inbox-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { clock } from './context.js';

/** When an update was handed to the gateway and when it reached the session step (`clock()`). */
export interface Arrival {
  inboundAt: number;
  deliveredAt: number;
}

/**
 * The gateway's inbound side, composed by the gateway's own composition root (`composeGateway`:
 * inbound pipeline, ProviderManager, `createTelegramProvider`), except that the session step
 * records when each update arrived instead of sending the "not configured" reply.
 */
export class Gateway {
  /** Arrivals by update id (parsed from the text), until the bench takes them. */
  readonly arrivals = new Map<number, Arrival>();
  private readonly inboundAt = new Map<string, number>();
  private waiters: { id: number; resolve: () => void }[] = [];
  private gateway!: ComposedGateway;
  private db!: ReturnType<typeof openDatabase>;

  constructor(
    private readonly stateDir: string,
    private readonly configPath: string,
    /** The inbox store; default: the database's (bench/durability swaps in memory). */
    private readonly inbox?: InboxRepo,
  ) {}

  /** Starts the gateway and its Telegram provider, and waits until the provider is connected. */
  async start(): Promise<void> {
    this.db = openDatabase(this.stateDir);
    // The provider as the gateway runs it, with the moment it hands each batch over noted.
    const telegram: ProviderFactory = (config, host) =>
      createTelegramProvider(config, {
        ...host,
        inbound: (envelopes) => {
          const at = clock();
          for (const envelope of envelopes) this.inboundAt.set((envelope as Envelope).text, at);
          return host.inbound(envelopes);
        },
      });
    this.gateway = composeGateway({
      db: this.db,
      stateDir: this.stateDir,
      configPath: this.configPath,
      log: silentLogger,
      factories: { telegram },
      sessions: { deliver: (delivery) => this.onDelivered(delivery) },
      ...(this.inbox ? { inbox: this.inbox } : {}),
    });
    await this.gateway.start();
    const providers = this.gateway.providers;
    const deadline = Date.now() + 15_000;
    while (providers.list().find((s) => s.provider === 'telegram')?.state !== 'connected') {
      if (Date.now() > deadline) throw new Error('Telegram provider did not connect');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  /** Resolves when update `id` reached the session step. */
  arrived(id: number): Promise<void> {
    if (this.arrivals.has(id)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ id, resolve }));
  }

  async stop(): Promise<void> {
    await this.gateway.stop();
    this.db.close();
  }

  private onDelivered(delivery: Delivery): void {
    const deliveredAt = clock();
    const text = delivery.envelope.text;
    const id = Number(/^u(\d+)/.exec(text)?.[1]);
    this.arrivals.set(id, { inboundAt: this.inboundAt.get(text) ?? NaN, deliveredAt });
    this.inboundAt.delete(text);
    if (this.waiters.length === 0) return;
    this.waiters = this.waiters.filter((w) => (w.id === id ? (w.resolve(), false) : true));
  }
}
