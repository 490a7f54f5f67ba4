import { describe, expect, it, vi } from 'vitest';
import { AppError } from '../../src-shared/domain/app-error.js';
import type { KillReport } from '../../src-shared/domain/kill-switch.js';
import { invokeChannels, type InvokeChannel } from '../../src-shared/ipc/contract.js';
import { INVOKE_CHANNEL_NAMES, EVENT_NAMES } from '../../src-shared/ipc/channel-names.js';
import { eventContract, invokeContract } from '../../src-shared/ipc/contract.js';
import { createDispatch, type ContractHandlers } from '../../src-main/supervisor/ipc-router.js';

const context = { transport: 'web' as const };

/** Handlers that fail the test if a malformed call ever reaches them. */
function neverCalled(): ContractHandlers {
  const fail = vi.fn(() => {
    throw new Error('handler must not be called with malformed input');
  });
  return Object.fromEntries(invokeChannels.map((c) => [c, fail])) as unknown as ContractHandlers;
}

const malformedForEveryChannel: unknown[] = [undefined, null, 'text', 42, [], { unexpected: true }];

describe('the IPC contract', () => {
  it('names every channel once, and the name lists match the table', () => {
    expect(Object.keys(invokeContract).sort()).toEqual([...INVOKE_CHANNEL_NAMES].sort());
    expect(Object.keys(eventContract).sort()).toEqual([...EVENT_NAMES].sort());
    for (const name of [...INVOKE_CHANNEL_NAMES, ...EVENT_NAMES])
      expect(name).toMatch(/^[a-z]+:[a-z]+$/);
  });

  describe.each(invokeChannels)('%s', (channel) => {
    it.each(malformedForEveryChannel.map((input) => [JSON.stringify(input) ?? 'undefined', input]))(
      'rejects malformed input %s with BAD_INPUT naming the channel',
      async (_label, input) => {
        const dispatch = createDispatch(neverCalled());
        const reply = await dispatch(channel, input, context);
        expect(reply).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
        if (!reply.ok) expect(reply.error.message).toContain(channel);
      },
    );
  });

  it.each<[InvokeChannel, unknown, string]>([
    ['killswitch:engage', { reason: '' }, 'reason'],
    ['killswitch:engage', { reason: 'x'.repeat(501) }, 'reason'],
    ['killswitch:engage', { reason: 7 }, 'reason'],
    ['killswitch:rearm', {}, 'confirm'],
    ['killswitch:rearm', { confirm: false }, 'confirm'],
    ['killswitch:rearm', { confirm: 'yes' }, 'confirm'],
  ])('%s rejects %j and names the key %s', async (channel, input, key) => {
    const reply = await createDispatch(neverCalled())(channel, input, context);
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.message).toContain(`${key}:`);
  });

  it('rejects an unknown channel, including inherited property names', async () => {
    const dispatch = createDispatch(neverCalled());
    for (const channel of ['gateway:explode', 'toString', '__proto__', 42, null]) {
      expect(await dispatch(channel, {}, context)).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL' },
      });
    }
  });

  it('passes validated input to the handler and wraps the reply in an envelope', async () => {
    const handlers = neverCalled();
    const report: KillReport = {
      engagedAt: 1,
      reason: 'because',
      source: 'ui',
      gateway: { found: false, pid: null, pids: [], killedPids: [], error: null },
      sandboxes: {
        reach: 'installation',
        endpoint: null,
        dockerReachable: false,
        error: 'down',
        containers: [],
        stoppedMs: null,
        removedMs: null,
      },
      otherEngines: [],
      persistError: null,
      stoppedMs: null,
      removedMs: null,
      durationMs: 3,
    };
    handlers['killswitch:engage'] = vi.fn(() => report);
    const reply = await createDispatch(handlers)(
      'killswitch:engage',
      { reason: '  because  ' },
      context,
    );
    expect(handlers['killswitch:engage']).toHaveBeenCalledWith({ reason: 'because' }, context);
    expect(reply).toEqual({ ok: true, value: report });
  });

  it('turns thrown errors into error values, keeping AppError codes', async () => {
    const handlers = neverCalled();
    handlers['gateway:start'] = () => {
      throw new AppError('KILL_SWITCH_ENGAGED', 'engaged');
    };
    handlers['gateway:stop'] = () => Promise.reject(new Error('disk on fire'));
    const onInternal = vi.fn();
    const dispatch = createDispatch(handlers, onInternal);
    expect(await dispatch('gateway:start', {}, context)).toEqual({
      ok: false,
      error: { code: 'KILL_SWITCH_ENGAGED', message: 'engaged' },
    });
    const failed = await dispatch('gateway:stop', {}, context);
    expect(failed).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    if (!failed.ok) expect(failed.error.message).toContain('disk on fire');
    expect(onInternal).toHaveBeenCalledOnce();
  });

  it('refuses to send a reply that breaks the contract', async () => {
    const handlers = neverCalled();
    handlers['status:get'] = (() => ({
      gateway: 'nonsense',
    })) as unknown as ContractHandlers['status:get'];
    expect(await createDispatch(handlers)('status:get', {}, context)).toMatchObject({
      ok: false,
      error: { code: 'INTERNAL' },
    });
  });
});
