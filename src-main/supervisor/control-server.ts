import { existsSync, unlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Logger } from '../logging/logger.js';
import {
  createContractSocketServer,
  limitSlowClients,
  serveContractSocket,
} from './contract-socket.js';
import type { EventHub } from './event-hub.js';
import type { Dispatch } from './ipc-router.js';
import { controlSocketPath } from '../state-layout.js';

/** A running control socket. */
export interface ControlServer {
  path: string;
  close(): Promise<void>;
}

/**
 * Serves the contract on a local socket for the CLI (`clawdbot gateway start` asks the running
 * supervisor). The socket's directory permissions are the authentication, so no token is asked;
 * bad frames still close only their own socket, with a log line, like on the web UI's socket.
 */
export async function startControlServer(
  stateDir: string,
  dispatch: Dispatch,
  events: EventHub,
  log: Logger,
): Promise<ControlServer> {
  const path = controlSocketPath(stateDir);
  // A socket file left by a supervisor that died; Supervisor.open already refused if it lives.
  if (process.platform !== 'win32' && existsSync(path)) unlinkSync(path);
  const server: Server = createServer((_req, res) => res.writeHead(404).end());
  limitSlowClients(server);
  // The WebSocket server forwards the HTTP server's errors (it logs them), and so the server
  // needs no error handler of its own once listening.
  const wss = createContractSocketServer(log, { server });
  wss.on('connection', (ws) => {
    serveContractSocket(ws, {
      dispatch,
      events,
      token: null,
      transport: 'control-socket',
      peer: 'local',
      log,
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => {
      server.off('error', reject);
      resolve();
    });
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
