import { describe, expect, it, vi } from 'vitest';
import { defaultConfig } from '../../src-shared/config/schema.js';
import type { ProviderStatus } from '../../src-shared/domain/provider-status.js';
import { silentLogger } from '../../src-main/logging/logger.js';
import { ProviderManager } from '../../src-main/gateway/providers/provider-manager.js';
import type {
  ProviderHost,
  ProviderRuntime,
} from '../../src-main/gateway/providers/provider-runtime.js';
import type { OutboundChannel } from '../../src-main/gateway/outbound/outbound-channel.js';

/** A provider whose connection the test drives through its host. */
function fakeProvider() {
  let host: ProviderHost | null = null;
  const sent: [string, string][] = [];
  const runtime: ProviderRuntime = {
    id: 'telegram',
    start: vi.fn(() => Promise.resolve()),
    stop: vi.fn(() => Promise.resolve()),
    logout: vi.fn(() => Promise.resolve()),
    send: (chatId, text) => Promise.resolve(void sent.push([chatId, text])),
    typing: () => () => undefined,
  };
  return {
    runtime,
    sent,
    host: () => host!,
    factory: (_config: unknown, h: ProviderHost) => {
      host = h;
      return runtime;
    },
  };
}

function setup(
  factory: (config: unknown, host: ProviderHost) => ProviderRuntime | { disabled: string },
) {
  const statuses: ProviderStatus[][] = [];
  const channels = new Map<string, OutboundChannel>();
  const manager = new ProviderManager({
    factories: { telegram: factory },
    inbound: () => Promise.resolve(),
    registerChannel: (channel) => {
      channels.set(channel.provider, channel);
      return () => channels.delete(channel.provider);
    },
    onStatuses: (list) => statuses.push(list),
    log: silentLogger,
    stateDir: '/nonexistent',
  });
  const telegram = () => manager.list().find((s) => s.provider === 'telegram')!;
  return { manager, statuses, channels, telegram };
}

describe('the provider manager', () => {
  it('offers a provider’s send to the gateway only while it is connected', async () => {
    const fake = fakeProvider();
    const { manager, channels, telegram } = setup(fake.factory);
    await manager.startAll(defaultConfig);
    expect(telegram().state).toBe('connecting');
    expect(channels.has('telegram')).toBe(false);

    fake.host().report({ state: 'connected', account: '@clawd_bot' });
    expect(telegram()).toMatchObject({ state: 'connected', account: '@clawd_bot' });
    await channels.get('telegram')!.send('42', 'hi');
    expect(fake.sent).toEqual([['42', 'hi']]);

    fake.host().report({ state: 'connecting', lastError: 'network down' });
    expect(channels.has('telegram')).toBe(false);
    expect(telegram()).toMatchObject({
      state: 'connecting',
      lastError: 'network down',
      account: '@clawd_bot',
    });
    expect(telegram().lastErrorAt).not.toBeNull();
  });

  it('forgets a provider that stopped itself with an error, and can start it again', async () => {
    const fake = fakeProvider();
    const { manager, telegram } = setup(fake.factory);
    await manager.startAll(defaultConfig);
    fake
      .host()
      .report({ state: 'error', lastError: 'Telegram rejected the bot token (401 Unauthorized)' });
    expect(telegram()).toMatchObject({
      state: 'error',
      lastError: expect.stringContaining('401') as unknown,
    });
    await manager.control('telegram', 'start');
    expect(fake.runtime.start).toHaveBeenCalledTimes(2);
    expect(telegram().state).toBe('connecting');
  });

  it('stops and logs out on the owner’s command', async () => {
    const fake = fakeProvider();
    const { manager, telegram, channels } = setup(fake.factory);
    await manager.startAll(defaultConfig);
    fake.host().report({ state: 'connected', account: '@x' });
    await manager.control('telegram', 'stop');
    expect(fake.runtime.stop).toHaveBeenCalledOnce();
    expect(telegram().state).toBe('stopped');
    expect(channels.has('telegram')).toBe(false);
    await manager.control('telegram', 'logout');
    expect(fake.runtime.logout).toHaveBeenCalledOnce();
    expect(telegram()).toMatchObject({ state: 'logged-out', account: null });
  });

  it('leaves an unconfigured provider disabled, and says why when the owner asks to start it', async () => {
    const { manager, telegram } = setup(() => ({ disabled: 'no Telegram bot token configured' }));
    await manager.startAll(defaultConfig);
    expect(telegram()).toMatchObject({ state: 'disabled', lastError: null });
    await manager.control('telegram', 'start');
    expect(telegram()).toMatchObject({
      state: 'error',
      lastError: 'no Telegram bot token configured',
    });
    // WhatsApp has no factory here at all.
    expect(manager.list().find((s) => s.provider === 'whatsapp')?.state).toBe('disabled');
  });
});

describe('the provider manager on config reload', () => {
  it('restarts a provider whose connection settings changed, and leaves it alone for access edits', async () => {
    const fake = fakeProvider();
    const { manager } = setup(fake.factory);
    await manager.startAll(defaultConfig);
    expect(fake.runtime.start).toHaveBeenCalledTimes(1);

    await manager.applyConfig({
      ...defaultConfig,
      telegram: { ...defaultConfig.telegram, dmPolicy: 'allowlist' },
    });
    expect(fake.runtime.stop).not.toHaveBeenCalled();

    await manager.applyConfig({
      ...defaultConfig,
      telegram: { ...defaultConfig.telegram, botToken: '123:new' },
    });
    expect(fake.runtime.stop).toHaveBeenCalledOnce();
    expect(fake.runtime.start).toHaveBeenCalledTimes(2);
  });
});
