import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from '../../src-main/web/content-security-policy.js';
import { INLINE_HASHES_FILE } from '../../src-main/web/inline-hashes.js';
import type { WebServer } from '../../src-main/web/web-server.js';
import { startLoopbackWebServer } from '../helpers/web-server.js';

const hashOf = (text: string) =>
  `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;

/** A build's page with one inline script, and the hashes file the build writes beside it. */
function writeBuild(dir: string, script: string, withHashes = true): void {
  writeFileSync(join(dir, 'index.html'), `<!doctype html><script>${script}</script>`);
  if (withHashes) {
    writeFileSync(
      join(dir, INLINE_HASHES_FILE),
      JSON.stringify({ scripts: [hashOf(script)], styles: [] }),
    );
  }
}

/**
 * The page's policy allows the build's own inline elements by hash (inline-hashes.json): the web
 * server reads the hashes with every page, so a UI rebuilt while it runs is not refused by the
 * policy of the build before, and it will not start on a build whose hashes are missing.
 */
describe("the web server's policy for the page", () => {
  let root: string;
  let server: WebServer | undefined;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'clawdbot-page-policy-'));
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
    rmSync(root, { recursive: true, force: true });
  });

  const start = () => startLoopbackWebServer(root);
  const policy = async () =>
    (await fetch(new URL('/', server!.url))).headers.get('content-security-policy');

  it("allows the page's inline script by its hash, and a rebuilt page's by its new one", async () => {
    writeBuild(root, 'first()');
    server = await start();
    expect(await policy()).toBe(
      contentSecurityPolicy({ scripts: [hashOf('first()')], styles: [] }),
    );
    writeBuild(root, 'second()');
    expect(await policy()).toBe(
      contentSecurityPolicy({ scripts: [hashOf('second()')], styles: [] }),
    );
  });

  it('refuses to start on a page with inline elements and no hashes file, saying what to do', async () => {
    writeBuild(root, 'first()', false);
    await expect(start()).rejects.toThrow(/inline-hashes\.json is missing.*npm run build/);
  });

  it('answers 500, naming the problem, once a rebuild has left the hashes file missing', async () => {
    writeBuild(root, 'first()');
    server = await start();
    rmSync(join(root, INLINE_HASHES_FILE));
    const response = await fetch(new URL('/', server.url));
    expect(response.status).toBe(500);
    expect(await response.text()).toMatch(/UI's build is incomplete.*inline-hashes\.json/);
  });
});
