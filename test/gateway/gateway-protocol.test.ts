import { fork } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  GatewayToSupervisorSchema,
  type GatewayToSupervisor,
} from '../../src-shared/gateway-protocol.js';
import { builtGateway } from '../helpers/paths.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';

describe('the gateway child speaks the protocol', () => {
  const stateDir = useTempStateDirs();

  it('says ready, heart-beats every second, answers status, and exits 0 on shutdown', async () => {
    const child = fork(builtGateway, [], {
      env: { ...process.env, CLAWDBOT_STATE_DIR: stateDir() },
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    });
    const received: GatewayToSupervisor[] = [];
    child.on('message', (raw) => received.push(GatewayToSupervisorSchema.parse(raw)));
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    try {
      const ready = await waitFor('ready', () => received.find((m) => m.type === 'ready'));
      expect(ready).toMatchObject({ type: 'ready', pid: child.pid });
      // Provider statuses are reported from the start (none configured here: both disabled).
      const providers = received.find((m) => m.type === 'providers');
      expect(providers?.type === 'providers' && providers.statuses.map((s) => s.state)).toEqual([
        'disabled',
        'disabled',
      ]);
      await waitFor(
        'two heartbeats',
        () => received.filter((m) => m.type === 'heartbeat').length >= 2,
        5000,
      );

      child.send({ type: 'status-request', requestId: 'q1' });
      const status = await waitFor('a status reply', () =>
        received.find((m) => m.type === 'status'),
      );
      expect(status).toMatchObject({ requestId: 'q1', pid: child.pid });

      // Garbage from the parent is ignored, not fatal.
      child.send({ type: 'format-disk' });
      child.send({ type: 'shutdown', reason: 'test' });
      expect(await exited).toBe(0);
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('exits on its own when its supervisor goes away', async () => {
    const child = fork(builtGateway, [], {
      env: { ...process.env, CLAWDBOT_STATE_DIR: stateDir() },
      stdio: ['ignore', 'ignore', 'ignore', 'ipc'],
    });
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code)),
    );
    await new Promise<void>((resolve) => child.once('message', () => resolve()));
    child.disconnect();
    expect(await exited).toBe(0);
  });
});
