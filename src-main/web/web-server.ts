import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IPC_WS_PATH } from '../../src-shared/ipc/web-frames.js';
import type { Logger } from '../logging/logger.js';
import type { EventHub } from '../supervisor/event-hub.js';
import type { Dispatch } from '../supervisor/ipc-router.js';
import { AuthThrottle, type AuthThrottleOptions } from './auth-throttle.js';
import {
  createContractSocketServer,
  limitSlowClients,
  serveContractSocket,
} from '../supervisor/contract-socket.js';
import { webSecurityHeaders } from './content-security-policy.js';
import { readInlineHashes } from './inline-hashes.js';
import { isLoopbackHost } from '../../src-shared/net/loopback.js';
import { LAUNCH_PATH_PREFIX, LaunchCodes } from './launch-codes.js';
import { readStaticFile } from './static-files.js';

/** What web mode serves. */
export interface WebServerOptions {
  host: string;
  port: number;
  /** The built renderer (`out/renderer`). */
  rendererDir: string;
  dispatch: Dispatch;
  events: EventHub;
  /** Defaults to a fresh random token. */
  token?: string;
  /**
   * Further browser origins allowed to open the contract socket (`http://127.0.0.1:18790`):
   * the addresses the page is reached by when they are not this server's own, as behind a
   * container's published port.
   */
  origins?: readonly string[];
  /** Where bad frames, failed sign-ins and lockouts are logged. */
  log: Logger;
  /** Failed sign-in limits (defaults: 10 per minute per peer, then 5 minutes locked out). */
  throttle?: Omit<AuthThrottleOptions, 'onLockout'>;
}

/** A running web mode server. */
export interface WebServer {
  url: string;
  port: number;
  token: string;
  /** A one-time address for opening a browser: it leads to `url` once, then never again. */
  launchUrl(): string;
  close(): Promise<void>;
}

/**
 * The browser origins allowed to open the contract socket: the page this server serves, under
 * the names it can be reached by. A page on any other origin (a malicious site the owner happens
 * to visit) is refused before the token is even asked for.
 */
function allowedOrigins(host: string, port: number): Set<string> {
  const names = isLoopbackHost(host) ? ['127.0.0.1', 'localhost', '[::1]', host] : [host];
  return new Set(
    names.map(
      (name) =>
        `http://${name.includes(':') && !name.startsWith('[') ? `[${name}]` : name}:${port}`,
    ),
  );
}

/**
 * Serves the built renderer and the contract over WebSocket at `/ipc`. Binds loopback unless
 * told otherwise; every socket must present the token in its first frame, and a peer that
 * fails to sign in too often is locked out for a while (logged once per lockout).
 */
export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  const log = options.log;
  const throttle = new AuthThrottle({
    ...options.throttle,
    onLockout: ({ peer, key, failures, until }) =>
      log.warn('locked out a peer after too many failed sign-ins', {
        peer,
        limitedAs: key,
        failures,
        until: new Date(until).toISOString(),
      }),
  });
  const launchCodes = new LaunchCodes();
  // The policy allows the build's own inline script and style by hash, as index.html's meta does.
  // Read now, so a broken build fails the start; and again with every page, which is read from
  // disk each time: a UI rebuilt while this runs gets the policy of its own hashes.
  const pageHeaders = (): Readonly<Record<string, string>> =>
    webSecurityHeaders(readInlineHashes(options.rendererDir));
  const securityHeaders = pageHeaders();
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { ...securityHeaders, Allow: 'GET, HEAD' }).end();
      return;
    }
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if (path.startsWith(LAUNCH_PATH_PREFIX)) {
      // Only a GET uses a link up; the token travels in the fragment, which stays in the browser.
      const code = path.slice(LAUNCH_PATH_PREFIX.length);
      if (req.method === 'GET' && launchCodes.redeem(code)) {
        res.writeHead(303, { ...securityHeaders, Location: `/#token=${token}` }).end();
      } else {
        res
          .writeHead(410, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' })
          .end(
            'This sign-in link was used already or has expired. Run `clawdbot web-url` on this machine for the address of the web UI.\n',
          );
      }
      return;
    }
    void readStaticFile(options.rendererDir, path).then((file) => {
      if (!file) {
        res.writeHead(404, { ...securityHeaders, 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      let headers = securityHeaders;
      if (file.contentType.startsWith('text/html')) {
        try {
          headers = pageHeaders();
        } catch (error) {
          log.error('the UI build is incomplete', { error: (error as Error).message });
          res
            .writeHead(500, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' })
            .end(`The UI's build is incomplete: ${(error as Error).message}\n`);
          return;
        }
      }
      res.writeHead(200, { ...headers, 'Content-Type': file.contentType });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    });
  });

  limitSlowClients(server);
  const wss = createContractSocketServer(log, { noServer: true });
  let origins = new Set<string>();
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    // Node hands an upgrading socket over without its own error handler: a peer resetting the
    // connection mid-handshake would otherwise be an uncaught 'error' that kills the supervisor.
    socket.on('error', (error) =>
      log.debug('a web socket connection failed', { error: error.message }),
    );
    const peer = req.socket.remoteAddress ?? 'unknown';
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const origin = req.headers.origin;
    if (path !== IPC_WS_PATH || (origin !== undefined && !origins.has(origin))) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      serveContractSocket(ws, {
        dispatch: options.dispatch,
        events: options.events,
        token,
        transport: 'web',
        peer,
        log,
        throttle,
      });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // From now on a server error (running out of file descriptors under a flood of connections)
  // is logged: the server keeps accepting once the flood passes.
  server.on('error', (error) => log.error('the web server failed', { error }));
  const port = (server.address() as AddressInfo).port;
  origins = new Set([...allowedOrigins(options.host, port), ...(options.origins ?? [])]);
  const displayHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const origin = `http://${displayHost}:${port}`;
  return {
    url: `${origin}/#token=${token}`,
    port,
    token,
    launchUrl: () => `${origin}${LAUNCH_PATH_PREFIX}${launchCodes.mint()}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
