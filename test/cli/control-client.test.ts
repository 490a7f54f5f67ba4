import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { processIdentity } from '../../src-main/process/process-identity.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createRuntimeRepo } from '../../src-main/store/runtime-repo.js';
import { runCli } from '../helpers/cli.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { controlSocketPath } from '../../src-main/state-layout.js';

/**
 * The CLI's end of the control socket, against a supervisor that answers badly (a bug, a
 * version mismatch, something else listening at the path): the command fails with a one-line
 * reason, never a stack trace from an unhandled 'error' event or a JSON parse in a listener.
 */
describe('the CLI against a control socket that answers badly', () => {
  const stateDir = useTempStateDirs();
  const servers: Server[] = [];
  afterEach(async () => {
    for (const server of servers.splice(0))
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
  });

  /** A "supervisor" at the state dir's control socket that answers every frame with `answer`. */
  async function fakeSupervisor(dir: string, answer: (ws: WebSocket) => void): Promise<void> {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const db = openDatabase(dir);
    // This test process plays the live supervisor the CLI looks for.
    createRuntimeRepo(db).writeSupervisor({
      pid: process.pid,
      identity: processIdentity(process.pid),
      socketPath: controlSocketPath(dir),
    });
    db.close();
    const server = createServer();
    servers.push(server);
    const wss = new WebSocketServer({ server });
    wss.on('connection', (ws) => ws.on('message', () => answer(ws)));
    await new Promise<void>((resolve) => server.listen(controlSocketPath(dir), resolve));
  }

  it.each([
    {
      name: 'a text frame of invalid UTF-8',
      answer: (ws: WebSocket) => ws.send(Buffer.from([0xc3, 0x28]), { binary: false }),
      reason: /the supervisor's reply was malformed/,
    },
    {
      name: 'text that is not JSON',
      answer: (ws: WebSocket) => ws.send('{"id":1,'),
      reason: /the supervisor's reply was malformed/,
    },
    {
      name: 'a close with no reply',
      answer: (ws: WebSocket) => ws.close(1011, 'internal error'),
      reason: /the supervisor closed the connection before answering/,
    },
  ])('$name: one line on stderr, exit 1', async ({ answer, reason }) => {
    const dir = stateDir();
    await fakeSupervisor(dir, answer);
    const result = await runCli(['gateway', 'start'], {
      CLAWDBOT_STATE_DIR: dir,
      DOCKER_HOST: NO_DOCKER_HOST,
    });
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(reason);
  });
});
