import type { Envelope } from '../../src-shared/domain/envelope.js';
import { loadConfigSync } from '../../src-main/config/load-config.js';
import { GatewayCore, type Delivery } from '../../src-main/gateway/gateway-core.js';
import { ProviderManager } from '../../src-main/gateway/providers/provider-manager.js';
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
 * The gateway's inbound side, composed as `startGatewayServices` composes it (GatewayCore +
 * ProviderManager + `createTelegramProvider`), except that the session step records when each
 * update arrived instead of sending the "not configured" reply.
 */
export class Gateway {
  /** Arrivals by update id (parsed from the text), until the bench takes them. */
  readonly arrivals = new Map<number, Arrival>();
  private readonly inboundAt = new Map<string, number>();
  private waiters: { id: number; resolve: () => void }[] = [];
  private core!: GatewayCore;
  private manager!: ProviderManager;
  private db!: ReturnType<typeof openDatabase>;

  constructor(
    private readonly stateDir: string,
    private readonly configPath: string,
    /** The inbox store; default: the database's (bench/durability swaps in memory). */
    private readonly inbox?: InboxRepo,
  ) {}

  /** Starts the core and the Telegram provider, and waits until the provider is connected. */
  async start(): Promise<void> {
    this.db = openDatabase(this.stateDir);
    this.core = new GatewayCore({
      db: this.db,
      stateDir: this.stateDir,
      configPath: this.configPath,
      log: silentLogger,
      deliver: (delivery) => this.onDelivered(delivery),
      ...(this.inbox ? { inbox: this.inbox } : {}),
    }).start();
    this.manager = new ProviderManager({
      factories: { telegram: createTelegramProvider },
      inbound: (envelopes) => {
        const at = clock();
        for (const envelope of envelopes) this.inboundAt.set((envelope as Envelope).text, at);
        this.core.receive(envelopes);
        return Promise.resolve();
      },
      registerChannel: (channel) => this.core.registerChannel(channel),
      onStatuses: () => undefined,
      log: silentLogger,
      stateDir: this.stateDir,
    });
    const config = loadConfigSync(this.configPath);
    if (!config.ok) throw new Error('bench config rejected');
    await this.manager.startAll(config.config);
    const deadline = Date.now() + 15_000;
    while (this.manager.list().find((s) => s.provider === 'telegram')?.state !== 'connected') {
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
    await this.manager.stopAll();
    this.core.stop();
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
