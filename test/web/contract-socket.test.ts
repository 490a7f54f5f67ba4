import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { idleGatewayStatus } from '../../src-shared/domain/gateway.js';
import { WS_LOCKED_OUT } from '../../src-shared/ipc/web-frames.js';
import { createLogger } from '../../src-main/logging/logger.js';
import { EventHub } from '../../src-main/supervisor/event-hub.js';
import { createDispatch, type ContractHandlers } from '../../src-main/supervisor/ipc-router.js';
import { AuthThrottle, throttleKey } from '../../src-main/web/auth-throttle.js';
import { startWebServer, type WebServer } from '../../src-main/web/web-server.js';

const armed = { engaged: false, reason: null, engagedAt: null, source: null, lastReport: null };
const handlers = {
  'status:get': () => ({
    gateway: idleGatewayStatus,
    killSwitch: armed,
    logging: { file: '/tmp/clawdbot/clawdbot-2030-01-01.log', fallback: null, error: null },
  }),
} as unknown as ContractHandlers;

/** A logger that keeps its JSON lines, parsed, in `lines`. */
function recordingLogger(lines: Record<string, unknown>[]) {
  return createLogger({
    process: 'supervisor',
    scope: 'web',
    level: 'debug',
    write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
  });
}

/** Opens a socket, optionally authenticates, and collects every frame it receives. */
async function connect(
  server: WebServer,
  token: string | null,
  origin?: string,
  localAddress?: string,
) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ipc`, {
    ...(origin && { origin }),
    ...(localAddress && { localAddress }),
  });
  const frames: Record<string, unknown>[] = [];
  ws.on('message', (data: Buffer) =>
    frames.push(JSON.parse(data.toString('utf8')) as Record<string, unknown>),
  );
  let reason = '';
  const closed = new Promise<number>((resolve) =>
    ws.on('close', (code, why) => {
      reason = why.toString('utf8');
      resolve(code);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  if (token !== null) ws.send(JSON.stringify({ type: 'auth', token }));
  return { ws, frames, closed, reason: () => reason };
}

describe('the contract over WebSocket', () => {
  const events = new EventHub();
  const logLines: Record<string, unknown>[] = [];
  let server: WebServer;
  let root: string;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'clawdbot-web-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>ok</title>');
    server = await startWebServer({
      host: '127.0.0.1',
      port: 0,
      rendererDir: root,
      dispatch: createDispatch(handlers),
      events,
      log: recordingLogger(logLines),
    });
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('answers requests by id after auth and pushes events', async () => {
    const { ws, frames } = await connect(server, server.token);
    ws.send(JSON.stringify({ id: 'a1', channel: 'status:get', input: {} }));
    await expect.poll(() => frames.length).toBe(2);
    expect(frames[0]).toEqual({ type: 'auth', ok: true });
    expect(frames[1]).toMatchObject({
      id: 'a1',
      ok: true,
      value: { gateway: { state: 'stopped' } },
    });
    events.emit('gateway:changed', { ...idleGatewayStatus, state: 'running', pid: 5 });
    await expect.poll(() => frames.length).toBe(3);
    expect(frames[2]).toMatchObject({
      event: 'gateway:changed',
      payload: { state: 'running', pid: 5 },
    });
    ws.close();
  });

  it('keeps an authenticated socket open on malformed frames and answers each with an error', async () => {
    const { ws, frames } = await connect(server, server.token);
    ws.send('not json');
    ws.send(JSON.stringify({ id: 7, channel: 'status:get', input: { extra: 1 } }));
    ws.send(JSON.stringify({ id: 8, nonsense: true }));
    ws.send(JSON.stringify({ id: 9, channel: 'no:such', input: {} }));
    await expect.poll(() => frames.length).toBe(5);
    // Replies to valid frames are asynchronous: compare by id, not arrival order.
    const byId = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      String(a['id']).localeCompare(String(b['id']));
    expect(frames.slice(1).sort(byId)).toEqual(
      [
        {
          id: 7,
          ok: false,
          error: { code: 'BAD_INPUT', message: expect.stringMatching(/status:get/) as unknown },
        },
        {
          id: 8,
          ok: false,
          error: {
            code: 'BAD_INPUT',
            message: expect.stringMatching(/malformed request/) as unknown,
          },
        },
        {
          id: 9,
          ok: false,
          error: { code: 'UNKNOWN_CHANNEL', message: expect.any(String) as unknown },
        },
        {
          id: null,
          ok: false,
          error: { code: 'BAD_INPUT', message: expect.stringMatching(/not a JSON/) as unknown },
        },
      ].sort(byId),
    );
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });

  it('closes with 1008 and sends nothing when the first frame is not a valid auth', async () => {
    for (const first of [
      { id: 1, channel: 'status:get', input: {} },
      { type: 'auth', token: 'wrong' },
      { type: 'auth', token: `${server.token}x` },
    ]) {
      const { ws, frames, closed } = await connect(server, null);
      ws.send(JSON.stringify(first));
      expect(await closed).toBe(1008);
      expect(frames).toEqual([]);
    }
    // Each refusal is logged with who it was; the token tried never is.
    const refusals = logLines.filter((l) => l['msg'] === 'refused a contract socket');
    expect(refusals).toHaveLength(3);
    expect(refusals[0]).toMatchObject({ level: 'warn', peer: '127.0.0.1', closeCode: 1008 });
    expect(JSON.stringify(logLines)).not.toContain(server.token);
  });

  it('does not push events to a socket that has not authenticated', async () => {
    const { frames, ws, closed } = await connect(server, null);
    events.emit('gateway:changed', idleGatewayStatus);
    ws.send(JSON.stringify({ type: 'auth', token: server.token }));
    const running = { ...idleGatewayStatus, state: 'running' as const, pid: 6 };
    await expect.poll(() => frames.length).toBe(1);
    events.emit('gateway:changed', running);
    await expect.poll(() => frames.length).toBe(2);
    // A socket's frames arrive in the order they were sent: an event pushed before the sign-in
    // would have come before its answer. The first event the socket gets is the later one.
    expect(frames).toEqual([
      { type: 'auth', ok: true },
      { event: 'gateway:changed', payload: running },
    ]);
    ws.terminate();
    await closed;
  });

  it('refuses a foreign Origin at the upgrade and accepts its own', async () => {
    await expect(connect(server, server.token, 'http://evil.example')).rejects.toThrow(/403/);
    const own = await connect(server, server.token, `http://localhost:${server.port}`);
    await expect.poll(() => own.frames.length).toBe(1);
    own.ws.close();
  });

  it('serves the renderer with a strict CSP and never outside its directory', async () => {
    const page = await fetch(`http://127.0.0.1:${server.port}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    for (const path of [
      '/../../../../etc/passwd',
      '/%2e%2e/%2e%2e/etc/passwd',
      '/.secret',
      '/missing.js',
    ]) {
      expect((await fetch(`http://127.0.0.1:${server.port}${path}`)).status, path).toBe(404);
    }
    expect((await fetch(`http://127.0.0.1:${server.port}/`, { method: 'POST' })).status).toBe(405);
  });

  it('locks a peer out after 10 failed sign-ins within a minute: even its right token, for 5 minutes, logged once', async () => {
    let now = Date.parse('2030-01-01T00:00:00Z');
    const lines: Record<string, unknown>[] = [];
    const limited = await startWebServer({
      host: '127.0.0.1',
      port: 0,
      rendererDir: root,
      dispatch: createDispatch(handlers),
      events,
      log: recordingLogger(lines),
      throttle: { now: () => now },
    });
    try {
      const attempt = async (token: string, peer: string) => {
        const socket = await connect(limited, token, undefined, peer);
        // The auth reply, or the close: whichever the server sends first.
        const first = await new Promise<'served' | number>((resolve) => {
          socket.ws.once('message', () => resolve('served'));
          void socket.closed.then(resolve);
        });
        socket.ws.terminate();
        return first === 'served' ? 'served' : { code: first, reason: socket.reason() };
      };
      const attacker = '127.0.5.1';
      for (let i = 0; i < 9; i++)
        expect(await attempt('guess', attacker)).toMatchObject({ code: 1008 });
      // A minute later those nine no longer count: nine more are still only refused.
      now += 61_000;
      for (let i = 0; i < 9; i++)
        expect(await attempt('guess', attacker)).toMatchObject({ code: 1008 });
      expect(lines.filter((l) => String(l['msg']).startsWith('locked out'))).toEqual([]);
      // The tenth within the minute starts the lockout.
      expect(await attempt('guess', attacker)).toMatchObject({ code: 1008 });
      const lockedUntil = new Date(now + 5 * 60_000).toISOString();
      const refused = await attempt(limited.token, attacker);
      expect(refused).toEqual({
        code: WS_LOCKED_OUT,
        reason: expect.stringContaining(lockedUntil) as unknown,
      });
      expect(await attempt('guess', attacker)).toMatchObject({ code: WS_LOCKED_OUT });
      // Other peers are served meanwhile.
      expect(await attempt(limited.token, '127.0.5.2')).toBe('served');
      // Just before the end it is still refused; at the end, the right token works again.
      now += 5 * 60_000 - 1;
      expect(await attempt(limited.token, attacker)).toMatchObject({ code: WS_LOCKED_OUT });
      now += 1;
      expect(await attempt(limited.token, attacker)).toBe('served');
      const lockouts = lines.filter((l) => String(l['msg']).startsWith('locked out'));
      expect(lockouts).toEqual([
        expect.objectContaining({
          level: 'warn',
          peer: attacker,
          failures: 10,
          until: lockedUntil,
        }),
      ]);
    } finally {
      await limited.close();
    }
  });
});

describe('the failed sign-in throttle', () => {
  it('counts an IPv6 peer by its /64 and an IPv4-mapped one as IPv4', () => {
    expect(throttleKey('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('2001:db8:1:2::/64');
    expect(throttleKey('2001:db8:1:2::7')).toBe('2001:db8:1:2::/64');
    expect(throttleKey('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(throttleKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(throttleKey('192.0.2.7')).toBe('192.0.2.7');
    const throttle = new AuthThrottle({ maxFailures: 2 });
    throttle.recordFailure('2001:db8:1:2::1');
    throttle.recordFailure('2001:db8:1:2::2');
    expect(throttle.lockedUntil('2001:db8:1:2::ffff')).not.toBeNull();
    expect(throttle.lockedUntil('2001:db8:1:3::1')).toBeNull();
  });

  it('forgets the failures of a peer that signs in', () => {
    const throttle = new AuthThrottle({ maxFailures: 3 });
    throttle.recordFailure('192.0.2.1');
    throttle.recordFailure('192.0.2.1');
    throttle.recordSuccess('192.0.2.1');
    throttle.recordFailure('192.0.2.1');
    throttle.recordFailure('192.0.2.1');
    expect(throttle.lockedUntil('192.0.2.1')).toBeNull();
    throttle.recordFailure('192.0.2.1');
    expect(throttle.lockedUntil('192.0.2.1')).not.toBeNull();
    // A success during a lockout does not lift it.
    throttle.recordSuccess('192.0.2.1');
    expect(throttle.lockedUntil('192.0.2.1')).not.toBeNull();
  });
});
