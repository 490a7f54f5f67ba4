import { EventEmitter } from 'node:events';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createUtilityLauncher, type UtilityChild } from '../../src-main/app/utility-launcher.js';

/** A utility process whose events the test fires. */
class FakeUtilityChild extends EventEmitter implements UtilityChild {
  pid: number | undefined = undefined;
  readonly stdout = new PassThrough();
  readonly stderr = new PassThrough();
  readonly posted: unknown[] = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
}

describe('the utility-process launcher', () => {
  it('forks the entry as the named service, and speaks the GatewayChild interface', async () => {
    const forks: { modulePath: string; options: unknown }[] = [];
    const child = new FakeUtilityChild();
    const launch = createUtilityLauncher((modulePath, _args, options) => {
      forks.push({ modulePath, options });
      return child;
    }, '/app/out/main/gateway.js');
    const gateway = launch({ CLAWDBOT_STATE_DIR: '/state' });
    expect(forks).toEqual([
      {
        modulePath: '/app/out/main/gateway.js',
        options: {
          env: { CLAWDBOT_STATE_DIR: '/state' },
          stdio: 'pipe',
          serviceName: 'Clawdbot Gateway',
        },
      },
    ]);
    // Electron knows the pid only once the process has spawned.
    const spawned: number[] = [];
    gateway.onSpawn((pid) => spawned.push(pid));
    expect(gateway.pid).toBeUndefined();
    child.pid = 777;
    child.emit('spawn');
    expect(spawned).toEqual([777]);
    expect(gateway.pid).toBe(777);

    const received: unknown[] = [];
    gateway.onMessage((message) => received.push(message));
    child.emit('message', { type: 'ready', pid: 777, version: '1' });
    expect(received).toEqual([{ type: 'ready', pid: 777, version: '1' }]);
    gateway.send({ type: 'shutdown', reason: 'stop requested' });
    expect(child.posted).toEqual([{ type: 'shutdown', reason: 'stop requested' }]);

    child.stderr.write('boom: token sk-ant-0123456789abcdef0123\n');
    await new Promise((resolve) => setImmediate(resolve));
    expect(gateway.stderrTail()).toContain('boom');

    const exits: [number | null, string | null][] = [];
    gateway.onExit((code, signal) => exits.push([code, signal]));
    child.emit('exit', 9);
    expect(exits).toEqual([[9, null]]);
  });
});
