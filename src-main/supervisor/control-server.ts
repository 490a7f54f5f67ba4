import { existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { WebSocketServer } from 'ws';
import { serveContractSocket } from '../web/contract-socket.js';
import type { EventHub } from './event-hub.js';
import type { Dispatch } from './ipc-router.js';

/** Where the control socket lives: inside the 0700 state directory, so only the owner can connect. */
export function controlSocketPath(stateDir: string): string {
  if (process.platform === 'win32') {
    return `\\\\.\\pipe\\clawdbot-${Buffer.from(stateDir).toString('base64url').slice(-40)}`;
  }
  return join(stateDir, 'supervisor.sock');
}

/** A running control socket. */
export interface ControlServer {
  path: string;
  close(): Promise<void>;
}

/**
 * Serves the contract on a local socket for the CLI (`clawdbot gateway start` asks the running
 * supervisor). The socket's directory permissions are the authentication, so no token is asked.
 */
export async function startControlServer(
  stateDir: string,
  dispatch: Dispatch,
  events: EventHub,
): Promise<ControlServer> {
  const path = controlSocketPath(stateDir);
  // A socket file left by a supervisor that died; Supervisor.open already refused if it lives.
  if (process.platform !== 'win32' && existsSync(path)) unlinkSync(path);
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({ server, maxPayload: 1024 * 1024 });
  wss.on('connection', (ws) => {
    serveContractSocket(ws, { dispatch, events, token: null, transport: 'control-socket' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
      }),
  };
}
