import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src-main/logging/logger.js';
import { createNodeGatewayLauncher } from '../../src-main/supervisor/node-gateway-launcher.js';
import {
  startSupervisorHost,
  type SupervisorHost,
} from '../../src-main/supervisor/supervisor-host.js';
import { builtGateway } from '../helpers/paths.js';
import { unreachableDocker, waitForState } from '../helpers/supervisor.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

describe('the supervisor host', () => {
  const stateDir = useTempStateDirs();
  const hosts: SupervisorHost[] = [];
  afterEach(async () => {
    for (const host of hosts.splice(0)) await host.close();
  });

  async function start(transports: Parameters<typeof startSupervisorHost>[0]['transports'] = []) {
    const lines: Record<string, unknown>[] = [];
    const host = await startSupervisorHost({
      stateDir: stateDir(),
      launch: createNodeGatewayLauncher({ entry: builtGateway }),
      docker: unreachableDocker(),
      log: createLogger({
        process: 'supervisor',
        write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
      }),
      transports,
    });
    hosts.push(host);
    return { host, lines };
  }

  it('logs a contract call that failed inside (not a refusal), and tells the caller only that it failed', async () => {
    const { host, lines } = await start();
    const reply = await host.dispatch(
      'sandboxes:stop',
      { name: 'clawdbot-sbx-none' },
      { transport: 'web' },
    );
    expect(reply).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        msg: 'contract call failed',
        channel: 'sandboxes:stop',
        error: expect.stringMatching(/Docker/) as unknown,
      }),
    );
    // A refusal is an answer, not a failure: nothing is logged for it.
    const before = lines.length;
    const refused = await host.dispatch('killswitch:rearm', {}, { transport: 'web' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    expect(lines.slice(before).filter((l) => l['msg'] === 'contract call failed')).toEqual([]);
  });

  it('starts its transports on the one dispatch, starts the gateway, logs its events, and closes last-started first', async () => {
    const order: string[] = [];
    const { host, lines } = await start([
      ({ dispatch }) => {
        order.push('first up');
        void dispatch('status:get', {}, { transport: 'web' });
        return { close: () => void order.push('first closed') };
      },
      () => {
        order.push('second up');
        return { close: () => void order.push('second closed') };
      },
    ]);
    await waitForState(host.supervisor, 'running');
    expect(lines).toContainEqual(expect.objectContaining({ msg: 'gateway running' }));
    await host.close();
    hosts.splice(0);
    expect(order).toEqual(['first up', 'second up', 'second closed', 'first closed']);
    expect(host.supervisor.manager.status().state).toBe('stopped');
  });
});
