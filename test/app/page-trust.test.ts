import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isOwnPage, rendererUrl } from '../../src-main/app/page-trust.js';

const outDir = '/opt/Clawdbot/resources/app/out';
const builtPage = pathToFileURL(join(outDir, 'renderer', 'index.html')).href;

describe('which page the desktop app loads and trusts for IPC', () => {
  it('a packaged app always loads its built page, whatever its environment names', () => {
    expect(rendererUrl({ outDir, packaged: true, devServerUrl: 'http://evil.example:5173' })).toBe(
      builtPage,
    );
    expect(rendererUrl({ outDir, packaged: false })).toBe(builtPage);
    // An empty variable is no dev server.
    expect(rendererUrl({ outDir, packaged: false, devServerUrl: '' })).toBe(builtPage);
    expect(rendererUrl({ outDir, packaged: false, devServerUrl: 'http://localhost:5173' })).toBe(
      'http://localhost:5173',
    );
  });

  it('trusts the built file, with any query or fragment, and nothing else on disk or the web', () => {
    expect(isOwnPage(builtPage, builtPage)).toBe(true);
    expect(isOwnPage(`${builtPage}?view=logs#top`, builtPage)).toBe(true);
    expect(isOwnPage(pathToFileURL(join(outDir, 'renderer', 'other.html')).href, builtPage)).toBe(
      false,
    );
    expect(isOwnPage('file:///tmp/index.html', builtPage)).toBe(false);
    expect(
      isOwnPage(
        'https://evil.example/opt/Clawdbot/resources/app/out/renderer/index.html',
        builtPage,
      ),
    ).toBe(false);
    for (const opaque of ['', 'about:blank', 'not a url', 'data:text/html,<h1>hi</h1>'])
      expect(isOwnPage(opaque, builtPage)).toBe(false);
  });

  it('under the dev server, trusts its origin only', () => {
    const own = 'http://localhost:5173';
    expect(isOwnPage('http://localhost:5173/', own)).toBe(true);
    expect(isOwnPage('http://localhost:5173/#/sessions', own)).toBe(true);
    expect(isOwnPage('http://localhost:5174/', own)).toBe(false);
    expect(isOwnPage('http://127.0.0.1:5173/', own)).toBe(false);
    expect(isOwnPage('https://localhost:5173/', own)).toBe(false);
    expect(isOwnPage(builtPage, own)).toBe(false);
  });
});
