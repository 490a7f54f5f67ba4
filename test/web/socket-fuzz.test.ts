import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { WS_LOCKED_OUT } from '../../src-shared/ipc/web-frames.js';
import { isAlive } from '../../src-main/process/process-identity.js';
import { runCli, startCli, type CliProcess } from '../helpers/cli.js';
import { readLogRecords } from '../helpers/log-files.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import {
  OPCODE,
  clientFrame,
  rawConnect,
  rawWebSocket,
  upgradeRequest,
  type RawTarget,
} from '../helpers/raw-websocket.js';
import { waitFor } from '../helpers/wait.js';
import { controlSocketPath } from '../../src-main/state-layout.js';

/**
 * `clawdbot supervise --web` as a real process, with its real gateway child, attacked on both of
 * its sockets (the web UI's `/ipc` and the CLI's control socket) the way anyone who reaches
 * them could: invalid UTF-8, oversized and binary frames, broken fragmentation, half-open
 * connections and thousands of connections at once. Whatever comes in, the supervisor and the
 * gateway must stay up and keep serving the owner; a bad frame costs its sender only its socket.
 */

const MAX_PAYLOAD = 1024 * 1024;

interface StatusJson {
  gateway: { state: string; pid: number | null };
  supervisor: { running: boolean; pid: number | null };
}

/** A frame the server sent, parsed. */
type Frame = Record<string, unknown>;

/** Connects a `ws` client, resolving once open; records every frame and the close code. */
async function openClient(
  url: string,
  options: { localAddress?: string } = {},
): Promise<{ ws: WebSocket; frames: Frame[]; closed: Promise<number> }> {
  const ws = new WebSocket(url, options);
  const frames: Frame[] = [];
  ws.on('message', (data: Buffer) => frames.push(JSON.parse(data.toString('utf8')) as Frame));
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  ws.on('error', () => undefined);
  return { ws, frames, closed };
}

describe('the supervisor and gateway under hostile socket clients', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let logDir: string;
  let supervisor: CliProcess;
  let port: number;
  let token: string;
  let controlPath: string;
  let supervisorPid: number;
  let gatewayPid: number;

  async function cliStatus(): Promise<StatusJson> {
    const result = await runCli(['status', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as StatusJson;
  }

  /** One contract call on a fresh socket; `token` null for the control socket. */
  async function ask(url: string, authToken: string | null): Promise<Frame> {
    const { ws, frames } = await openClient(url);
    try {
      if (authToken !== null) ws.send(JSON.stringify({ type: 'auth', token: authToken }));
      ws.send(JSON.stringify({ id: 'probe', channel: 'status:get', input: {} }));
      return await waitFor('the status reply', () => frames.find((f) => f['id'] === 'probe'));
    } finally {
      ws.terminate();
    }
  }

  /** Both processes alive, the same gateway still running, and both sockets serving the owner. */
  async function expectStillServing(): Promise<void> {
    expect(isAlive(supervisorPid), 'supervisor alive').toBe(true);
    expect(isAlive(gatewayPid), 'gateway alive').toBe(true);
    const status = await cliStatus();
    expect(status.supervisor).toEqual({ running: true, pid: supervisorPid });
    expect(status.gateway).toMatchObject({ state: 'running', pid: gatewayPid });
    for (const reply of [
      await ask(`ws://127.0.0.1:${port}/ipc`, token),
      await ask(`ws+unix://${controlPath}:/`, null),
    ]) {
      expect(reply).toMatchObject({
        ok: true,
        value: { gateway: { state: 'running', pid: gatewayPid } },
      });
    }
  }

  /** The log lines the supervisor wrote about closing sockets. */
  function socketLogLines(): Frame[] {
    return readLogRecords(logDir).filter((r) => r['process'] === 'supervisor');
  }

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'clawdbot-fuzz-'));
    logDir = join(root, 'logs');
    const stateDir = join(root, 'state');
    env = {
      CLAWDBOT_STATE_DIR: stateDir,
      DOCKER_HOST: NO_DOCKER_HOST,
      CLAWDBOT_LOG_FILE: join(logDir, 'clawdbot-YYYY-MM-DD.log'),
    };
    supervisor = startCli(['supervise', '--web', '--port', '0'], env);
    const match = await supervisor.waitForOutput(
      /Web UI: http:\/\/127\.0\.0\.1:(\d+)\/#token=(\S+)/,
      30_000,
    );
    port = Number(match[1]);
    token = match[2] ?? '';
    controlPath = controlSocketPath(stateDir);
    supervisorPid = supervisor.child.pid!;
    const running = await waitFor(
      'the gateway to be running',
      async () => {
        const s = await cliStatus();
        return s.gateway.state === 'running' ? s : null;
      },
      30_000,
    );
    gatewayPid = running.gateway.pid!;
  });

  afterAll(async () => {
    await supervisor?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  // Each case comes from its own loopback address, so no case is refused because an earlier
  // one used up its address's failed sign-ins.
  const webCases: { name: string; frames: Buffer[]; code: number }[] = [
    {
      name: 'a text frame of invalid UTF-8',
      frames: [clientFrame(OPCODE.text, Buffer.from([0x7b, 0xff, 0xfe, 0xc3, 0x28]))],
      code: 1007,
    },
    {
      name: 'a frame over maxPayload',
      frames: [clientFrame(OPCODE.text, Buffer.alloc(MAX_PAYLOAD + 1, 0x61))],
      code: 1009,
    },
    {
      name: 'fragments that add up to more than maxPayload',
      frames: [
        clientFrame(OPCODE.text, Buffer.alloc(MAX_PAYLOAD / 2, 0x61), false),
        clientFrame(OPCODE.continuation, Buffer.alloc(MAX_PAYLOAD / 2 + 1, 0x61), true),
      ],
      code: 1009,
    },
    {
      name: 'a continuation frame with no message to continue',
      frames: [clientFrame(OPCODE.continuation, Buffer.from('{}'))],
      code: 1002,
    },
    {
      name: 'a new text frame in the middle of a fragmented one',
      frames: [
        clientFrame(OPCODE.text, Buffer.from('{"type":'), false),
        clientFrame(OPCODE.text, Buffer.from('"auth"}')),
      ],
      code: 1002,
    },
    {
      name: 'fragmented invalid UTF-8 (a code point split across frames, then broken)',
      frames: [
        clientFrame(OPCODE.text, Buffer.from([0x22, 0xe2, 0x82]), false),
        clientFrame(OPCODE.continuation, Buffer.from([0x28, 0x22])),
      ],
      code: 1007,
    },
    {
      name: 'a binary first frame',
      frames: [clientFrame(OPCODE.binary, randomish(64))],
      code: 1008,
    },
    {
      name: 'an unknown opcode',
      frames: [clientFrame(0x3, Buffer.from('x'))],
      code: 1002,
    },
  ];

  it.each(webCases.map((c, i) => ({ ...c, peer: `127.0.1.${i + 1}` })))(
    '/ipc: $name closes only that socket, with $code and a log line',
    async ({ frames, code, peer }) => {
      const raw = await rawWebSocket({ port, localAddress: peer });
      for (const frame of frames) raw.socket.write(frame);
      await raw.ended;
      expect(raw.closeCode()).toBe(code);
      const line = await waitFor('the log line', () =>
        socketLogLines().find((r) => r['peer'] === peer && r['closeCode'] === code),
      );
      expect(line).toMatchObject({ scope: 'web', level: 'warn' });
      await expectStillServing();
    },
  );

  it('/ipc: an authenticated socket that sends invalid UTF-8 is closed with 1007; the others go on', async () => {
    const watcher = await openClient(`ws://127.0.0.1:${port}/ipc`);
    watcher.ws.send(JSON.stringify({ type: 'auth', token }));
    await waitFor('auth', () => watcher.frames.find((f) => f['type'] === 'auth'));
    const offender = await openClient(`ws://127.0.0.1:${port}/ipc`);
    offender.ws.send(JSON.stringify({ type: 'auth', token }));
    await waitFor('auth', () => offender.frames.find((f) => f['type'] === 'auth'));
    // `ws` sends a Buffer given as text as is, unchecked: exactly the frame an attacker sends.
    offender.ws.send(Buffer.from([0xc3, 0x28, 0xa0, 0xa1]), { binary: false });
    expect(await offender.closed).toBe(1007);
    expect(watcher.ws.readyState).toBe(WebSocket.OPEN);
    watcher.ws.send(JSON.stringify({ id: 'still', channel: 'status:get', input: {} }));
    await waitFor('the watcher reply', () => watcher.frames.find((f) => f['id'] === 'still'));
    watcher.ws.close();
    await expectStillServing();
  });

  it('/ipc: half-open connections (a partial upgrade, half a frame, a half-closed socket) are dropped', async () => {
    const partialUpgrade = await rawConnect({ port, localAddress: '127.0.2.1' });
    partialUpgrade.on('error', () => undefined);
    partialUpgrade.write(upgradeRequest('/ipc').slice(0, 40));
    const halfFrame = await rawWebSocket({ port, localAddress: '127.0.2.2' });
    halfFrame.socket.write(clientFrame(OPCODE.text, Buffer.alloc(1000, 0x61)).subarray(0, 300));
    const halfClosed = await rawWebSocket({ port, localAddress: '127.0.2.3' });
    halfClosed.socket.end(clientFrame(OPCODE.text, Buffer.from('{"type":"au')).subarray(0, 8));
    // Unauthenticated sockets are closed after the auth timeout, however little they sent.
    await Promise.all([halfFrame.ended, halfClosed.ended]);
    expect(halfFrame.closeCode()).toBe(1008);
    partialUpgrade.destroy();
    await expectStillServing();
  });

  it('/ipc: thousands of connections at once, then all reset', async () => {
    const opened = await Promise.allSettled(
      Array.from({ length: 2000 }, (_, i) =>
        openClient(`ws://127.0.0.1:${port}/ipc`, { localAddress: `127.0.3.${(i % 250) + 1}` }),
      ),
    );
    expect(opened.filter((r) => r.status === 'fulfilled')).toHaveLength(2000);
    // While they are all open, the owner is still served.
    await expectStillServing();
    for (const result of opened) if (result.status === 'fulfilled') result.value.ws.terminate();
    await expectStillServing();
  });

  it('/ipc: ten failed sign-ins lock that address out, its right token too, logged once; others are served', async () => {
    const attacker = '127.0.4.1';
    const attempt = async (tryToken: string): Promise<number | 'served'> => {
      const client = await openClient(`ws://127.0.0.1:${port}/ipc`, { localAddress: attacker });
      client.ws.send(JSON.stringify({ type: 'auth', token: tryToken }));
      const outcome = await Promise.race([
        client.closed,
        waitFor('the auth reply', () => client.frames.find((f) => f['type'] === 'auth')).then(
          () => 'served' as const,
        ),
      ]);
      client.ws.terminate();
      return outcome;
    };
    for (let i = 0; i < 10; i++) expect(await attempt(`guess-${i}`)).toBe(1008);
    expect(await attempt(token)).toBe(WS_LOCKED_OUT);
    expect(await attempt('guess-again')).toBe(WS_LOCKED_OUT);
    await expectStillServing();
    const lockouts = await waitFor('the lockout line', () => {
      const found = socketLogLines().filter(
        (r) => r['msg'] === 'locked out a peer after too many failed sign-ins',
      );
      return found.length > 0 ? found : null;
    });
    expect(lockouts).toEqual([expect.objectContaining({ peer: attacker, failures: 10 })]);
    // The tokens tried are never logged (and the real one is redacted wherever it might appear).
    const text = JSON.stringify(socketLogLines());
    expect(text).not.toContain('guess-');
    expect(text).not.toContain(token);
  });

  it('the control socket: bad frames close only their socket, with a code and a log line', async () => {
    const target: RawTarget = { path: controlPath };
    for (const { frames, code } of webCases.filter((c) => c.code !== 1008)) {
      const raw = await rawWebSocket(target, '/');
      for (const frame of frames) raw.socket.write(frame);
      await raw.ended;
      expect(raw.closeCode()).toBe(code);
    }
    const lines = await waitFor('the control socket log lines', () => {
      const found = socketLogLines().filter((r) => r['transport'] === 'control-socket');
      return found.length >= 7 ? found : null;
    });
    expect(lines.map((l) => l['closeCode'])).toEqual(expect.arrayContaining([1002, 1007, 1009]));
    await expectStillServing();
  });

  it('the control socket: half-open connections and a thousand clients at once', async () => {
    const partialUpgrade = await rawConnect({ path: controlPath });
    partialUpgrade.on('error', () => undefined);
    partialUpgrade.write(upgradeRequest('/').slice(0, 30));
    const halfFrame = await rawWebSocket({ path: controlPath }, '/');
    halfFrame.socket.write(clientFrame(OPCODE.text, Buffer.alloc(500, 0x61)).subarray(0, 100));
    const opened = await Promise.allSettled(
      Array.from({ length: 1000 }, () => openClient(`ws+unix://${controlPath}:/`)),
    );
    expect(opened.filter((r) => r.status === 'fulfilled')).toHaveLength(1000);
    await expectStillServing();
    for (const result of opened) if (result.status === 'fulfilled') result.value.ws.terminate();
    halfFrame.socket.destroy();
    partialUpgrade.destroy();
    await expectStillServing();
  });
});

/** Bytes that are not UTF-8 text. */
function randomish(length: number): Buffer {
  return Buffer.from(Array.from({ length }, (_, i) => (i * 37 + 200) % 256));
}
