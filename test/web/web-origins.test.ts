import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import type { WebServer } from '../../src-main/web/web-server.js';
import { webSettingsFromEnv } from '../../src-main/web/web-env.js';
import { IPC_WS_PATH } from '../../src-shared/ipc/web-frames.js';
import { startLoopbackWebServer } from '../helpers/web-server.js';

/** What the server answers to a WebSocket upgrade: 'open', or the HTTP status it refused with. */
function upgradeOutcome(url: string, origin: string): Promise<'open' | number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { origin });
    ws.once('unexpected-response', (req, res) => {
      resolve(res.statusCode ?? 0);
      req.destroy();
    });
    ws.once('open', () => {
      resolve('open');
      ws.terminate();
    });
    ws.on('error', reject);
  });
}

/**
 * Web mode behind a container's published port: the browser's origin is the address it browses
 * to on the host, not the container's bind address; CLAWDBOT_WEB_ORIGINS lets exactly those in,
 * and CLAWDBOT_WEB_TOKEN fixes the token.
 */
describe('web mode origins and token from the environment', () => {
  let server: WebServer;
  let root: string;
  const token = 't'.repeat(40);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'clawdbot-web-'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><title>ok</title>');
    const env = webSettingsFromEnv({
      CLAWDBOT_WEB_TOKEN: token,
      CLAWDBOT_WEB_ORIGINS: 'http://gateway.home.example:18790',
    });
    // No contract call is made: only the upgrade is under test.
    server = await startLoopbackWebServer(root, env);
  });
  afterAll(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('lets the configured origin open the socket, and still refuses any other', async () => {
    const url = `ws://127.0.0.1:${server.port}${IPC_WS_PATH}`;
    expect(await upgradeOutcome(url, 'http://gateway.home.example:18790')).toBe('open');
    expect(await upgradeOutcome(url, `http://127.0.0.1:${server.port}`)).toBe('open');
    expect(await upgradeOutcome(url, 'http://gateway.home.example:1')).toBe(403);
    expect(await upgradeOutcome(url, 'http://evil.example')).toBe(403);
  });

  it('uses the token from the environment', () => {
    expect(server.token).toBe(token);
  });
});
