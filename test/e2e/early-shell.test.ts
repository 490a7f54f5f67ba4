import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHeadlessSupervisor, type HeadlessSupervisor } from '../../src-main/web/headless.js';
import {
  chromiumMissing,
  eventually,
  launchChromium,
  openWatchedPage,
  requireBrowser,
} from '../helpers/browser.js';
import { seriousViolations } from '../helpers/axe.js';
import { builtGateway, builtRenderer } from '../helpers/paths.js';
import { unreachableDocker } from '../helpers/supervisor.js';

/** The app's chunk (React and the views), which the entry chunk imports after its first paint. */
const APP_CHUNK = /\/assets\/boot-[\w-]+\.js$/;
/** The entry chunk, which takes the early page over (and the lazily loaded chunks named index-*). */
const ENTRY_CHUNK = /\/assets\/index-[\w-]+\.js$/;

/**
 * The first paint comes from the page's inline first script, before any chunk has loaded: the
 * gateway's state and a kill switch that works. Shown with the real headless supervisor and its
 * gateway in Chromium, the app's chunk held back (or failing) by the page's router.
 */
describe.skipIf(chromiumMissing && !requireBrowser)(
  'the early shell',
  { tags: ['browser'] },
  () => {
    let root: string;
    let host: HeadlessSupervisor;
    let browser: Browser;
    let page: Page;
    let pageErrors: string[] = [];

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'clawdbot-early-shell-'));
      host = await startHeadlessSupervisor({
        stateDir: join(root, 'state'),
        gatewayEntry: builtGateway,
        docker: unreachableDocker(),
        web: { host: '127.0.0.1', port: 0, rendererDir: builtRenderer },
      });
      browser = await launchChromium();
    });

    afterEach(async () => {
      await page.close();
      host.supervisor.rearm();
    });

    afterAll(async () => {
      await browser?.close();
      await host?.close();
      rmSync(root, { recursive: true, force: true });
    });

    /** A page whose requests for the app's chunk wait until `release()` lets them through. */
    async function openWithAppChunkHeld(): Promise<{ release: () => void }> {
      pageErrors = [];
      page = await openWatchedPage(browser, pageErrors);
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      await page.route(APP_CHUNK, async (route: Route) => {
        await released;
        await route.continue();
      });
      await page.goto(host.webUrl ?? '');
      return { release };
    }

    /**
     * The same build with one of its files passed through `alter` (which must change it), served
     * by a supervisor of its own (closed by the caller): index.html unless `file` names an asset
     * (matched against the names in assets/).
     */
    async function serveAlteredBuild(
      name: string,
      alter: (text: string) => string,
      file: RegExp = /^index\.html$/,
    ): Promise<HeadlessSupervisor> {
      const rendererDir = join(root, `renderer-${name}`);
      cpSync(builtRenderer, rendererDir, { recursive: true });
      const [path] = [
        'index.html',
        ...readdirSync(join(rendererDir, 'assets')).map((f) => `assets/${f}`),
      ].filter((candidate) => file.test(candidate.replace(/^assets\//, '')));
      if (!path) throw new Error(`the build has no file matching ${file}`);
      const text = readFileSync(join(rendererDir, path), 'utf8');
      const altered = alter(text);
      expect(altered).not.toBe(text);
      writeFileSync(join(rendererDir, path), altered);
      return startHeadlessSupervisor({
        stateDir: join(root, `state-${name}`),
        gatewayEntry: builtGateway,
        docker: unreachableDocker(),
        web: { host: '127.0.0.1', port: 0, rendererDir },
      });
    }

    /**
     * Opens a watched page (errors in `pageErrors`) on the altered build `other` (see
     * serveAlteredBuild), runs `check`, and closes both.
     */
    async function visitAlteredBuild(
      other: HeadlessSupervisor,
      check: () => Promise<void>,
    ): Promise<void> {
      try {
        pageErrors = [];
        page = await openWatchedPage(browser, pageErrors);
        await page.goto(other.webUrl ?? '');
        await check();
      } finally {
        await page.close();
        page = await browser.newPage(); // afterEach closes one
        await other.close();
      }
    }

    it('shows the gateway state and stops everything before the app has loaded', async () => {
      const { release } = await openWithAppChunkHeld();
      const state = page.getByTestId('gateway-state');
      await eventually(() => state.textContent()).toMatch(/^(Starting|Running)$/);
      // Still the early shell: the app's sidebar is not there.
      expect(await page.locator('.early-shell').count()).toBe(1);
      expect(await page.locator('nav').count()).toBe(0);
      // Named and usable like the rest of the app, in the owner's theme (light and dark).
      expect(await seriousViolations(page)).toEqual([]);
      await page.emulateMedia({ colorScheme: 'dark' });
      expect(await seriousViolations(page)).toEqual([]);

      await page.getByTestId('kill-switch').click();
      await page.getByTestId('early-kill-engaged').waitFor();
      expect(host.supervisor.snapshot().killSwitch.engaged).toBe(true);
      await eventually(() => state.textContent()).toBe('Stopped');

      // The app takes over from the state as it is now, not from the snapshot the early shell
      // started with (the app subscribes to events only once its code runs).
      release();
      await page.getByTestId('statusbar-kill-engaged').waitFor();
      expect(await page.locator('.early-shell').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });

    it("paints the state and a working kill switch before the page's code has even arrived", async () => {
      pageErrors = [];
      page = await openWatchedPage(browser, pageErrors);
      let release = () => {};
      const released = new Promise<void>((resolve) => (release = resolve));
      let entryRequested = false;
      await page.route(ENTRY_CHUNK, async (route: Route) => {
        entryRequested = true;
        await released;
        await route.continue();
      });
      const sockets: string[] = [];
      const sent: { type?: string; channel?: string }[] = [];
      page.on('websocket', (socket) => {
        sockets.push(socket.url());
        socket.on('framesent', ({ payload }) => sent.push(JSON.parse(String(payload)) as never));
      });
      // Not waiting for the load event: the held entry chunk is a module script, which it awaits.
      await page.goto(host.webUrl ?? '', { waitUntil: 'commit' });
      const state = page.getByTestId('gateway-state');
      // (The test before this one stopped the gateway: whatever its state, it is shown.)
      await eventually(() => state.textContent()).toMatch(/^(Starting|Running|Stopped)$/);
      // Painted by the page's inline first script, which then asks for the entry chunk (held).
      await eventually(() => entryRequested).toBe(true);
      expect(await page.evaluate('typeof window.clawdbotEarlyPage')).toBe('object');
      // The token is out of the address bar already.
      expect(page.url()).not.toContain('token=');
      await page.getByTestId('kill-switch').click();
      await page.getByTestId('early-kill-engaged').waitFor();
      expect(host.supervisor.snapshot().killSwitch.engaged).toBe(true);

      // The entry chunk takes that page over (one socket, signed in once) and loads the app,
      // which shows the kill as engaged; the page's policy let the inline script run (no
      // violation reported).
      release();
      await page.getByTestId('statusbar-kill-engaged').waitFor();
      expect(await page.evaluate('typeof window.clawdbotEarlyPage')).toBe('undefined');
      expect(sockets).toHaveLength(1);
      expect(sent.filter((frame) => frame.type === 'auth')).toHaveLength(1);
      expect(sent[1]).toMatchObject({ channel: 'status:get' });
      expect(pageErrors).toEqual([]);
    });

    it("asks for none of the page's code until the gateway's state is on screen", async () => {
      pageErrors = [];
      page = await openWatchedPage(browser, pageErrors);
      const requested: string[] = [];
      page.on('request', (request) => requested.push(request.url()));
      // The supervisor's answer to the first status call is held until released; everything
      // else on the socket passes through as it comes.
      let releaseStatus = () => {};
      const statusHeld = new Promise<void>((resolve) => (releaseStatus = resolve));
      let signedIn = () => {};
      const signInAnswered = new Promise<void>((resolve) => (signedIn = resolve));
      await page.routeWebSocket(/\/ipc$/, (socket) => {
        const server = socket.connectToServer();
        socket.onMessage((message) => server.send(message));
        server.onMessage(async (message) => {
          const frame = JSON.parse(String(message)) as { type?: string; id?: number };
          if (frame.type === 'auth') signedIn();
          if (frame.id === 1) await statusHeld;
          socket.send(message);
        });
      });
      await page.goto(host.webUrl ?? '', { waitUntil: 'domcontentloaded' });
      // The page is parsed and signed in, its status call unanswered: no chunk asked for yet
      // (each would compete with the socket and the first paint for this machine's cores).
      await signInAnswered;
      expect(requested.filter((url) => url.includes('/assets/'))).toEqual([]);
      expect(await page.getByTestId('gateway-state').count()).toBe(0);

      releaseStatus();
      await eventually(() => page.getByTestId('gateway-state').textContent()).toMatch(
        /^(Starting|Running|Stopped)$/,
      );
      // Then the page's code loads and takes over.
      await page.getByTestId('statusbar').waitFor();
      const entry = await page.evaluate<string>(
        "new URL(document.querySelector('script[data-entry]').dataset.entry, location.href).href",
      );
      expect(requested).toContain(entry);
      expect(pageErrors).toEqual([]);
    });

    it("keeps the app's styles in their order once the dashboard's lazy cards have loaded", async () => {
      pageErrors = [];
      page = await openWatchedPage(browser, pageErrors);
      await page.setViewportSize({ width: 700, height: 800 });
      await page.goto(host.webUrl ?? '');
      // The dashboard's lazily loaded cards (each chunk lists the entry chunk's stylesheet, which
      // is inline in the page, among its dependencies).
      await page.getByTestId('statusbar').waitFor();
      await page.getByTestId('doctor-card').waitFor();
      // The inline stylesheet is not loaded again as a file after the app's: it would win every
      // tie against styles.css, shell.css and the views' own rules.
      const linkedInline = await page.evaluate(`(async () => {
        const inline = document.querySelector('head > style').textContent.trim();
        const links = [...document.querySelectorAll('link[rel="stylesheet"]')];
        const texts = await Promise.all(links.map((l) => fetch(l.href).then((r) => r.text())));
        return links.filter((_, i) => texts[i].trim() === inline).map((l) => l.href);
      })()`);
      expect(linkedInline).toEqual([]);
      // So shell.css's narrow-window padding still beats base.css's main column.
      const padding = await page.evaluate<{ main: string; narrow: string }>(`(() => {
        const main = document.querySelector('main.shell__main');
        const probe = document.createElement('div');
        probe.style.width = 'var(--space-3)';
        document.body.append(probe);
        const narrow = getComputedStyle(probe).width;
        probe.remove();
        return { main: getComputedStyle(main).paddingLeft, narrow };
      })()`);
      expect(padding.main).toBe(padding.narrow);
      expect(pageErrors).toEqual([]);
    });

    it('still starts, from the entry chunk, on a page as Vite serves it without the inline first script', async () => {
      // The same build, its index.html as Vite's dev server leaves it (the entry chunk's module
      // script, no inline script).
      const other = await serveAlteredBuild('without-first-script', (html) =>
        html.replace(
          /<script data-entry="([^"]+)">[\s\S]*?<\/script>/,
          (_script, entry: string) => `<script type="module" crossorigin src="${entry}"></script>`,
        ),
      );
      await visitAlteredBuild(other, async () => {
        await eventually(() => page.getByTestId('gateway-state').textContent()).toMatch(
          /^(Starting|Running)$/,
        );
        await page.getByTestId('statusbar').waitFor();
        await page.getByTestId('kill-switch').click();
        await page.getByTestId('statusbar-kill-engaged').waitFor();
        expect(other.supervisor.snapshot().killSwitch.engaged).toBe(true);
        expect(pageErrors).toEqual([]);
      });
    });

    it('says so, rather than showing a blank page, when the browser refuses the first script', async () => {
      // The same build, its inline script changed by a byte: the policies (meta and header)
      // allow the original's hash only, as after a rebuild the running desktop app never read.
      const other = await serveAlteredBuild('refused-first-script', (html) =>
        html.replace(/(<script data-entry="[^"]+">)/, '$1 '),
      );
      await visitAlteredBuild(other, async () => {
        await expect
          .poll(() => page.getByRole('alert').textContent())
          .toContain("This page's first script did not run");
        // The policy refused it (and reported so).
        expect(pageErrors.some((error) => error.includes('securitypolicyviolation'))).toBe(true);
      });
    });

    it("says so when the app's code throws as it starts, and keeps the kill switch", async () => {
      // The app's chunk, its boot() made to throw before it renders anything: it finds no #root.
      const other = await serveAlteredBuild(
        'throwing-boot',
        (chunk) => chunk.replace('document.getElementById("root");if(!', 'null;if(!'),
        /^boot-[\w-]+\.js$/,
      );
      await visitAlteredBuild(other, async () => {
        await page.getByTestId('early-load-error').waitFor();
        expect(await page.getByTestId('early-load-error').textContent()).toContain(
          'index.html has no #root element',
        );
        await page.getByTestId('kill-switch').click();
        await page.getByTestId('early-kill-engaged').waitFor();
        expect(other.supervisor.snapshot().killSwitch.engaged).toBe(true);
        expect(pageErrors).toEqual([]);
      });
    });

    it.each([
      // The entry chunk, which takes the early page over: the page waits for no load event.
      ["the page's own code", ENTRY_CHUNK, 'commit', /index-|Failed to fetch/],
      // The app's chunk (React and the views), which the entry chunk imports.
      ["the app's code", APP_CHUNK, 'load', /boot-|Failed to fetch/],
    ] as const)(
      'says so when %s fails to load, and keeps the kill switch',
      async (_what, chunk, waitUntil, refused) => {
        pageErrors = [];
        page = await openWatchedPage(browser, pageErrors);
        await page.route(chunk, (route) => route.abort('connectionrefused'));
        await page.goto(host.webUrl ?? '', { waitUntil });
        await page.getByTestId('early-load-error').waitFor();
        expect(await page.getByTestId('early-load-error').textContent()).toContain(
          'The kill switch above still works',
        );
        await page.getByTestId('kill-switch').click();
        await page.getByTestId('early-kill-engaged').waitFor();
        expect(host.supervisor.snapshot().killSwitch.engaged).toBe(true);
        // The refused chunk is the only error the page reports.
        expect(pageErrors.every((error) => refused.test(error))).toBe(true);
      },
    );
  },
);
