import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import {
  UI_TIMEOUT_MS,
  chromiumMissing,
  launchChromium,
  openWatchedPage,
  requireBrowser,
} from '../helpers/browser.js';
import { escapeReturnsFocus, expectTrappingModal } from '../helpers/modal.js';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli, type CliProcess } from '../helpers/cli.js';
import { contentSecurityPolicy } from '../../src-main/web/content-security-policy.js';
import { NO_DOCKER_HOST, repoRoot } from '../helpers/paths.js';
import { waitFor } from '../helpers/wait.js';

/**
 * `clawdbot supervise --web` end to end, as its user meets it: the real CLI, the real gateway
 * child, the built renderer in Debian's Chromium, and the contract socket probed the way an
 * attacker on the same machine (or a malicious web page) would.
 */

/** The parts of `clawdbot status --json` these tests read. */
interface CliStatus {
  gateway: { state: string; pid: number | null; nextRestartAt: number | null };
  killSwitch: { engaged: boolean };
  supervisor: { running: boolean; pid: number | null };
}

/** A frame the server sent on the contract socket. */
type Frame = Record<string, unknown>;

/** A client of the contract socket that records everything the server sent. */
interface SocketProbe {
  ws: WebSocket;
  frames: Frame[];
  opened: Promise<void>;
  /** The close code the server ended the socket with; fails fast if it keeps the socket open. */
  closeCode(timeoutMs?: number): Promise<number>;
  /** Resolves with the first frame (already received or yet to come) matching `match`. */
  next(match: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
}

function openSocket(url: string, options: { origin?: string } = {}): SocketProbe {
  const ws = new WebSocket(url, options);
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  ws.on('message', (data) => {
    // The default binaryType ('nodebuffer') delivers every message as one Buffer.
    frames.push(JSON.parse((data as Buffer).toString('utf8')) as Frame);
    for (const wake of waiters) wake();
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  return {
    ws,
    frames,
    opened,
    closeCode(timeoutMs = 10_000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new Error(`socket still open after ${timeoutMs} ms; got ${JSON.stringify(frames)}`),
            ),
          timeoutMs,
        );
      });
      return Promise.race([closed, timeout]).finally(() => clearTimeout(timer));
    },
    next(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          const found = frames.find(match);
          if (found) {
            cleanup();
            resolve(found);
          }
          return found !== undefined;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(
            new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`),
          );
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(onFrame);
        };
        const onFrame = (): void => void check();
        if (!check()) waiters.add(onFrame);
      });
    },
  };
}

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
 * A raw HTTP GET. node:http sends the path exactly as given (fetch would normalise `..` away
 * before the server ever saw it, which would make the traversal checks vacuous).
 */
function httpGet(
  port: number,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** Whether a pid names a live process (EPERM still means it exists). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

describe('web mode (clawdbot supervise --web)', () => {
  let root: string;
  let env: NodeJS.ProcessEnv;
  let supervisor: CliProcess;
  let baseUrl: string;
  let port: number;
  let token: string;
  let wsUrl: string;

  /** The CLI's view, read from the shared database: the source of truth the UI must agree with. */
  async function cliStatus(): Promise<CliStatus> {
    const result = await runCli(['status', '--json'], env);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout) as CliStatus;
  }

  beforeAll(async () => {
    // One supervisor for the whole file (the per-test helper would delete its state dir between tests).
    root = mkdtempSync(join(tmpdir(), 'clawdbot-web-'));
    env = { CLAWDBOT_STATE_DIR: join(root, 'state'), DOCKER_HOST: NO_DOCKER_HOST };
    supervisor = startCli(['supervise', '--web', '--port', '0'], env);
    const match = await supervisor.waitForOutput(
      /Web UI: (http:\/\/127\.0\.0\.1:(\d+))\/#token=(\S+)/,
    );
    baseUrl = match[1] ?? '';
    port = Number(match[2]);
    token = match[3] ?? '';
    wsUrl = `ws://127.0.0.1:${port}/ipc`;
    // Every test starts from a running gateway, whichever of them runs first.
    await waitFor(
      'the gateway to be running',
      async () => (await cliStatus()).gateway.state === 'running',
      30_000,
    );
  });

  afterAll(async () => {
    await supervisor?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  describe.skipIf(chromiumMissing && !requireBrowser)(
    'the dashboard in Chromium',
    { tags: ['browser'] },
    () => {
      let browser: Browser;
      let page: Page;
      const pageErrors: string[] = [];

      beforeAll(async () => {
        browser = await launchChromium();
        page = await openWatchedPage(browser, pageErrors);
        await page.goto(`${baseUrl}/#token=${token}`);
      });

      afterAll(async () => {
        await browser?.close();
      });

      const stateText = (): Promise<string | null> =>
        page.getByTestId('gateway-state').textContent();
      const pidShown = async (): Promise<number | null> => {
        const text = (await page.getByTestId('gateway-pid').textContent()) ?? '';
        const match = /^pid (\d+)$/.exec(text.trim());
        return match ? Number(match[1]) : null;
      };

      it('shows the gateway running, with the pid the CLI reports, and that process is alive', async () => {
        await expect.poll(stateText, { timeout: UI_TIMEOUT_MS }).toBe('Running');
        const pid = await pidShown();
        expect(pid).not.toBeNull();
        const status = await cliStatus();
        expect(status.gateway.state).toBe('running');
        expect(pid).toBe(status.gateway.pid);
        expect(isAlive(pid!)).toBe(true);
        // The token is taken out of the address bar so it does not leak into screenshots or shared links.
        expect(page.url()).not.toContain(token);
        expect(pageErrors).toEqual([]);
      });

      it('stops everything with one click, stays stopped after re-arming, and starts again on request', async () => {
        await expect.poll(stateText, { timeout: UI_TIMEOUT_MS }).toBe('Running');
        const oldPid = (await pidShown())!;
        expect(oldPid).toBeGreaterThan(0);

        // One click, no confirmation: that is the whole point of the button.
        const killSwitch = page.getByTestId('kill-switch');
        expect(await killSwitch.textContent()).toBe('Stop everything');
        // The status bar's compact switch is on every view and has an accessible name.
        expect(
          await page.getByRole('button', { name: 'Kill switch: stop everything now' }).count(),
        ).toBe(1);
        await killSwitch.click();

        const report = page.getByTestId('kill-report');
        await report.waitFor({ state: 'visible' });
        expect(await page.getByTestId('kill-gateway').textContent()).toContain(
          `killed pid ${oldPid} `,
        );
        expect(await page.getByTestId('kill-sandboxes').isVisible()).toBe(true);
        expect(await page.getByTestId('kill-duration').textContent()).toMatch(/^\d+(\.\d+)? ms$/);
        await expect.poll(stateText, { timeout: UI_TIMEOUT_MS }).toBe('Stopped');
        // Engaged, no switch is left to press: the report is the state banner, and the status
        // bar names the state on every view.
        await expect.poll(() => killSwitch.count(), { timeout: UI_TIMEOUT_MS }).toBe(0);
        expect(await report.locator('h2').textContent()).toBe('Kill switch engaged');
        expect(await page.getByTestId('statusbar-kill-switch').count()).toBe(0);
        expect(await page.getByTestId('statusbar-kill-engaged').textContent()).toContain(
          'Kill switch engaged',
        );
        // While engaged, nothing may start the gateway from the UI either.
        expect(await page.getByTestId('gateway-start').isDisabled()).toBe(true);
        // SIGKILL is immediate, but the dead child is only gone once its parent has reaped it.
        await waitFor(`the old gateway (pid ${oldPid}) to be gone`, () => !isAlive(oldPid), 5_000);
        const engaged = await cliStatus();
        expect(engaged.killSwitch.engaged).toBe(true);
        expect(engaged.gateway.state).not.toBe('running');
        // The disabled button is not the guard: the contract itself refuses a start while engaged.
        const client = openSocket(wsUrl);
        try {
          await client.opened;
          client.ws.send(JSON.stringify({ type: 'auth', token }));
          client.ws.send(JSON.stringify({ id: 'start', channel: 'gateway:start', input: {} }));
          const refused = await client.next((f) => f['id'] === 'start');
          expect(refused['ok']).toBe(false);
          expect((refused['error'] as { code: string }).code).toBe('KILL_SWITCH_ENGAGED');
        } finally {
          client.ws.close();
        }
        expect(await stateText()).toBe('Stopped');

        // Re-arming asks first, in a modal dialog; Escape backs out and gives focus back.
        const rearm = page.getByTestId('rearm');
        await rearm.click();
        const dialog = page.getByTestId('confirm-dialog');
        await expectTrappingModal(page, 'confirm-dialog');
        await escapeReturnsFocus(page, 'confirm-dialog', 'rearm');
        expect(pageErrors).toEqual([]);
        await rearm.click();
        await dialog.waitFor({ state: 'visible' });
        await dialog.getByRole('button', { name: 'Re-arm', exact: true }).click();
        await report.waitFor({ state: 'hidden' });
        await expect
          .poll(() => killSwitch.textContent(), { timeout: UI_TIMEOUT_MS })
          .toBe('Stop everything');
        // The kill stays listed with its report after re-arming, newest first.
        const lastKill = page.getByTestId('kill-history-entry').first();
        await expect
          .poll(() => lastKill.textContent(), { timeout: UI_TIMEOUT_MS })
          .toContain('re-armed');
        await lastKill.locator('summary').click();
        expect(await lastKill.getByTestId('kill-history-report').textContent()).toContain(
          `gateway pid ${oldPid} killed`,
        );

        // Re-arming only allows a start; it must not bring the gateway back by itself. The page
        // shows the switch armed, so the supervisor has re-armed: nothing was started then, and
        // nothing is scheduled to start later (a restart is always announced by nextRestartAt).
        expect(await stateText()).toBe('Stopped');
        const rearmed = await cliStatus();
        expect(rearmed.killSwitch.engaged).toBe(false);
        expect(rearmed.gateway).toMatchObject({ state: 'stopped', pid: null, nextRestartAt: null });

        const start = page.getByTestId('gateway-start');
        await expect.poll(() => start.isEnabled(), { timeout: UI_TIMEOUT_MS }).toBe(true);
        await start.click();
        await expect.poll(stateText, { timeout: UI_TIMEOUT_MS }).toBe('Running');
        const newPid = await pidShown();
        expect(newPid).not.toBeNull();
        expect(newPid).not.toBe(oldPid);
        expect(isAlive(newPid!)).toBe(true);
        expect((await cliStatus()).gateway.pid).toBe(newPid);
      });

      it('shows no dashboard without a token, and says so when the token is wrong', async () => {
        // Fresh contexts: the good token is kept in the first page's sessionStorage.
        const bare = await browser.newContext();
        const wrong = await browser.newContext();
        try {
          const noTokenPage = await bare.newPage();
          await noTokenPage.goto(`${baseUrl}/`);
          await noTokenPage
            .getByTestId('no-token')
            .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
          // It says how to get the address again.
          expect(await noTokenPage.getByTestId('no-token').textContent()).toContain(
            'Run clawdbot web-url on this machine',
          );
          expect(await noTokenPage.getByTestId('gateway-state').count()).toBe(0);
          // The kill switch must not pretend to work without a connection.
          expect(await noTokenPage.getByTestId('kill-switch').isDisabled()).toBe(true);
          expect(await noTokenPage.getByTestId('statusbar-kill-switch').isDisabled()).toBe(true);

          const wrongTokenPage = await wrong.newPage();
          await wrongTokenPage.goto(`${baseUrl}/#token=${'x'.repeat(token.length)}`);
          await wrongTokenPage
            .getByTestId('unauthorized')
            .waitFor({ state: 'visible', timeout: UI_TIMEOUT_MS });
          expect(await wrongTokenPage.getByTestId('unauthorized').textContent()).toContain(
            'Run clawdbot web-url on this machine',
          );
          expect(await wrongTokenPage.getByTestId('gateway-state').count()).toBe(0);
          expect(await wrongTokenPage.getByTestId('kill-switch').isDisabled()).toBe(true);
          expect(await wrongTokenPage.getByTestId('statusbar-kill-switch').isDisabled()).toBe(true);
        } finally {
          await bare.close();
          await wrong.close();
        }
      });
    },
  );

  describe('the contract socket', () => {
    const statusRequest = JSON.stringify({ id: 1, channel: 'status:get', input: {} });

    it('closes a socket whose first frame is a request, answering nothing', async () => {
      const probe = openSocket(wsUrl);
      await probe.opened;
      probe.ws.send(statusRequest);
      expect(await probe.closeCode()).toBe(1008);
      expect(probe.frames).toEqual([]);
    });

    it('does not let a valid auth frame sent after a request rescue the socket', async () => {
      // Pipelined in one go, as an attacker who learns the token late might try.
      const probe = openSocket(wsUrl);
      await probe.opened;
      probe.ws.send(statusRequest);
      probe.ws.send(JSON.stringify({ type: 'auth', token }));
      probe.ws.send(JSON.stringify({ id: 2, channel: 'status:get', input: {} }));
      expect(await probe.closeCode()).toBe(1008);
      expect(probe.frames).toEqual([]);
    });

    it.each([
      ['a short wrong token', 'nope'],
      ['a same-length token differing in the last character', null],
      ['an empty token', ''],
    ])('closes a socket that authenticates with %s', async (_label, given) => {
      const wrongToken = given ?? `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
      expect(wrongToken).not.toBe(token);
      const probe = openSocket(wsUrl);
      await probe.opened;
      probe.ws.send(JSON.stringify({ type: 'auth', token: wrongToken }));
      probe.ws.send(statusRequest);
      expect(await probe.closeCode()).toBe(1008);
      expect(probe.frames).toEqual([]);
    });

    it('answers a socket that authenticates with the right token', async () => {
      const probe = openSocket(wsUrl);
      try {
        await probe.opened;
        probe.ws.send(JSON.stringify({ type: 'auth', token }));
        probe.ws.send(statusRequest);
        expect(await probe.next((f) => f['type'] === 'auth')).toEqual({ type: 'auth', ok: true });
        const reply = await probe.next((f) => f['id'] === 1);
        expect(reply['ok']).toBe(true);
        const value = reply['value'] as {
          gateway: { state: string; pid: number };
          killSwitch: { engaged: boolean };
        };
        const cli = await cliStatus();
        expect(value.gateway.state).toBe(cli.gateway.state);
        expect(value.gateway.pid).toBe(cli.gateway.pid);
        expect(value.killSwitch.engaged).toBe(cli.killSwitch.engaged);
      } finally {
        probe.ws.close();
      }
    });

    it('pushes no events to a socket that has not authenticated, and drops it after a while', async () => {
      const silent = openSocket(wsUrl);
      const authed = openSocket(wsUrl);
      try {
        await Promise.all([silent.opened, authed.opened]);
        authed.ws.send(JSON.stringify({ type: 'auth', token }));
        await authed.next((f) => f['type'] === 'auth');
        const before = (await cliStatus()).gateway.pid;
        // A restart produces a burst of gateway:changed events while the silent socket is open.
        authed.ws.send(JSON.stringify({ id: 'restart', channel: 'gateway:restart', input: {} }));
        await authed.next((f) => {
          const payload = f['payload'] as { state?: string; pid?: number } | undefined;
          return (
            f['event'] === 'gateway:changed' &&
            payload?.state === 'running' &&
            payload.pid !== before
          );
        }, 30_000);
        // The server's auth timeout (5 s) closes the silent socket; it must have heard nothing.
        expect(await silent.closeCode()).toBe(1008);
        expect(silent.frames).toEqual([]);
      } finally {
        silent.ws.terminate();
        authed.ws.close();
      }
    });

    it("refuses the upgrade from another site's page, before any token is asked for", async () => {
      expect(await upgradeOutcome(wsUrl, 'http://evil.example')).toBe(403);
      // Same host, other port: another local web app is another origin.
      expect(await upgradeOutcome(wsUrl, 'http://127.0.0.1:1')).toBe(403);
      // The UI's own origins are let through (so the refusals above are about the origin).
      expect(await upgradeOutcome(wsUrl, baseUrl)).toBe('open');
      expect(await upgradeOutcome(wsUrl, `http://localhost:${port}`)).toBe('open');
    });
  });

  describe('the page server', () => {
    it('sends the UI with a strict Content-Security-Policy and no framing', async () => {
      const page = await httpGet(port, '/');
      expect(page.status).toBe(200);
      expect(page.headers['content-type']).toMatch(/^text\/html/);
      expect(page.headers['content-security-policy']).toContain("default-src 'none'");
      expect(page.headers['x-frame-options']).toBe('DENY');
    });

    it("allows the page's inline first script and stylesheet by their hashes, in the header and the meta tag, and nothing else inline", async () => {
      const page = await httpGet(port, '/');
      // Every inline element, whatever its attributes: a <script> without src, any <style>.
      const hashesOf = (tag: string) =>
        [
          ...page.body.matchAll(
            new RegExp(`<${tag}(?![^>]*\\ssrc=)[^>]*>([\\s\\S]*?)</${tag}>`, 'g'),
          ),
        ].map(
          ([, text]) =>
            `sha256-${createHash('sha256')
              .update(text ?? '')
              .digest('base64')}`,
        );
      const inline = { scripts: hashesOf('script'), styles: hashesOf('style') };
      expect(inline.scripts).toHaveLength(1);
      expect(inline.styles).toHaveLength(1);
      expect(page.headers['content-security-policy']).toBe(contentSecurityPolicy(inline));
      const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(page.body)?.[1];
      expect(meta).toBe(contentSecurityPolicy(inline, 'meta'));
      expect(meta).not.toContain('unsafe-inline');
    });

    it.each([
      '/../../etc/passwd',
      '/..%2f..%2f..%2f..%2f..%2fetc%2fpasswd',
      // Files with a served extension just outside out/renderer: the repository's package.json.
      '/../../package.json',
      '/..%2f..%2fpackage.json',
      '/%2e%2e/%2e%2e/package.json',
      '/assets/..%2f..%2f..%2fpackage.json',
      '/..%5c..%5cpackage.json',
      `/${encodeURIComponent(join(repoRoot, 'package.json'))}`,
    ])('does not serve %s from outside the UI', async (path) => {
      const response = await httpGet(port, path);
      expect(response.status).toBe(404);
      expect(response.body).not.toMatch(/root:|"name": "clawdbot"/);
    });
  });
});
