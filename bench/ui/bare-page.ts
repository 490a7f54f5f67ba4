import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// What the first-paint observer waits for, already in the HTML: no script, no socket, no data.
const HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <title>Clawdbot</title>
  </head>
  <body>
    <p data-testid="gateway-state">running</p>
    <button type="button" data-testid="kill-switch">Stop everything</button>
  </body>
</html>`;

/** A local HTTP server of one static page holding what the first-paint figure waits for. */
export interface BarePage {
  url: string;
  close(): Promise<void>;
}

/**
 * Serves the floor of the first-paint figure: a fresh Chromium page that needs nothing but its
 * HTML, sent with `headers` (the web server's own, for the floor the app's page stands on).
 * Whatever the app's figure costs above this is the app's (its code, the socket, the render);
 * below it nothing on this machine can go.
 */
export async function serveBarePage(headers: Readonly<Record<string, string>>): Promise<BarePage> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { ...headers, 'content-type': 'text/html; charset=utf-8' });
    response.end(HTML);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
