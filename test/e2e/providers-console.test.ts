import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import {
  chromiumMissing,
  launchChromium,
  openWatchedPage,
  requireBrowser,
  eventually,
} from '../helpers/browser.js';
import QRCode from 'qrcode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOT_CONFIGURED_OWNER_TEXT } from '../../src-main/gateway/not-configured-responder.js';
import { startCli, type CliProcess } from '../helpers/cli.js';
import { NO_DOCKER_HOST, fixturesDir } from '../helpers/paths.js';
import { resolveConfigPath, whatsappAuthDir } from '../../src-main/state-layout.js';

/**
 * The Providers view and the owner's console in web mode, end to end: the real CLI and
 * supervisor, the real built gateway child with its real WhatsApp provider and auth state, and
 * the built renderer in Debian's Chromium. Only WhatsApp's servers are replaced, by the socket
 * double in test/fixtures/whatsapp-socket-e2e.mjs (loaded through
 * CLAWDBOT_WHATSAPP_SOCKET_MODULE), which rotates QR codes until the test "scans" by creating
 * a file, then links and opens as +15550001111.
 */

/** `expect.poll` with the UI's patience (its own default is one second). */

/** The payloads the double offers, in order (see the fixture). */
const QR_PAYLOADS = ['QR-ONE', 'QR-TWO', ...Array.from({ length: 200 }, (_, i) => `QR-${i + 3}`)];

/** A QR code's modules as rows of 1 (dark) and 0, as the `qrcode` package lays them out. */
function expectedModules(payload: string): string[] {
  // The same options as the renderer's WhatsAppQr: the same payload gives the same modules.
  const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
  return Array.from({ length: modules.size }, (_, row) =>
    Array.from({ length: modules.size }, (_, col) => (modules.get(row, col) ? '1' : '0')).join(''),
  );
}
const modulesByPayload = new Map(QR_PAYLOADS.map((p) => [expectedModules(p).join('/'), p]));
const moduleCount = expectedModules('QR-ONE').length;

/**
 * The few DOM types the in-page pixel reader uses. This test compiles against Node's types, not
 * the DOM's; the function below runs in the page, where these are the real things.
 */
interface PageImage {
  decode(): Promise<void>;
  naturalWidth: number;
  naturalHeight: number;
}
interface PageCanvas {
  width: number;
  height: number;
  getContext(kind: '2d'): {
    drawImage(image: PageImage, x: number, y: number): void;
    getImageData(
      x: number,
      y: number,
      w: number,
      h: number,
    ): { data: Uint8ClampedArray; width: number; height: number };
  } | null;
}
type PageGlobals = { document: { createElement(tag: 'canvas'): PageCanvas } };

/**
 * Reads the QR code the page shows, by sampling the image's pixels module by module, and says
 * which of the double's payloads it encodes (null: none of them). The QR's own corners, which
 * are always dark (finder patterns), give its position and module size, whatever the margin.
 */
async function shownQrPayload(img: Locator): Promise<string | null> {
  const rows = await img.evaluate(async (element, size) => {
    const image = element as unknown as PageImage;
    await image.decode();
    const canvas = (globalThis as unknown as PageGlobals).document.createElement('canvas');
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    const context = canvas.getContext('2d');
    if (!context) return [];
    context.drawImage(image, 0, 0);
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    const dark = (x: number, y: number): boolean => (data[(y * width + x) * 4] ?? 255) < 128;
    let left = width;
    let right = -1;
    let top = height;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (!dark(x, y)) continue;
        left = Math.min(left, x);
        right = Math.max(right, x);
        top = Math.min(top, y);
      }
    }
    const moduleSize = (right - left + 1) / size;
    return Array.from({ length: size }, (_, row) =>
      Array.from({ length: size }, (_, col) =>
        dark(
          Math.floor(left + (col + 0.5) * moduleSize),
          Math.floor(top + (row + 0.5) * moduleSize),
        )
          ? '1'
          : '0',
      ).join(''),
    );
  }, moduleCount);
  return modulesByPayload.get(rows.join('/')) ?? null;
}

describe.skipIf(chromiumMissing && !requireBrowser)(
  'providers and console in web mode',
  { tags: ['browser'] },
  () => {
    let root: string;
    let stateDir: string;
    let linkFile: string;
    let supervisor: CliProcess;
    let browser: Browser;
    let page: Page;
    const pageErrors: string[] = [];

    async function show(view: 'dashboard' | 'console' | 'providers'): Promise<void> {
      await page.getByTestId(`nav-${view}`).click();
      if (view !== 'dashboard')
        await page.getByTestId(`${view}-view`).waitFor({ state: 'visible' });
    }

    const card = (provider: 'whatsapp' | 'telegram'): Locator =>
      page.getByTestId(`provider-${provider}`);
    const cardState = (provider: 'whatsapp' | 'telegram'): Promise<string | null> =>
      card(provider).getAttribute('data-state');
    const stateText = (provider: 'whatsapp' | 'telegram'): Promise<string | null> =>
      card(provider).getByTestId('provider-state').textContent();
    const bubbles = (role: 'owner' | 'assistant'): Locator =>
      page.locator(`[data-testid="console-message"][data-role="${role}"]`);

    beforeAll(async () => {
      root = mkdtempSync(join(tmpdir(), 'clawdbot-providers-'));
      stateDir = join(root, 'state');
      linkFile = join(root, 'phone-scanned-the-qr');
      mkdirSync(stateDir, { recursive: true, mode: 0o700 });
      const env: NodeJS.ProcessEnv = {
        CLAWDBOT_STATE_DIR: stateDir,
        DOCKER_HOST: NO_DOCKER_HOST,
        CLAWDBOT_WHATSAPP_SOCKET_MODULE: join(fixturesDir, 'whatsapp-socket-e2e.mjs'),
        CLAWDBOT_E2E_WHATSAPP_LINK_FILE: linkFile,
        // A token in the developer's own environment must not turn Telegram on here.
        TELEGRAM_BOT_TOKEN: '',
      };
      writeFileSync(
        resolveConfigPath(stateDir, env),
        JSON.stringify({ whatsapp: { enabled: true } }),
      );

      supervisor = startCli(['supervise', '--web', '--port', '0'], env);
      const match = await supervisor.waitForOutput(
        /Web UI: (http:\/\/127\.0\.0\.1:\d+)\/#token=(\S+)/,
      );
      browser = await launchChromium();
      page = await openWatchedPage(browser, pageErrors);
      await page.goto(`${match[1]}/#token=${match[2]}`);
      await page.getByTestId('gateway-state').filter({ hasText: 'Running' }).waitFor();
    });

    afterAll(async () => {
      await browser?.close();
      await supervisor?.stop();
      if (root) rmSync(root, { recursive: true, force: true });
    });

    it('round-trips a console message: the owner line once, then the not-configured reply', async () => {
      // The owner sees why the assistant will not really answer, before even trying.
      expect(await page.getByTestId('no-model').textContent()).toContain(
        'No model is configured, so the assistant cannot answer',
      );
      await show('console');
      expect(await page.getByTestId('console-session').textContent()).toBe(
        'You are the owner here: this is the main session.',
      );
      await page.getByTestId('console-empty').waitFor();

      const input = page.getByTestId('console-input');
      await input.fill('hello');
      await input.press('Enter');

      await bubbles('owner').filter({ hasText: 'hello' }).waitFor();
      await bubbles('assistant').filter({ hasText: NOT_CONFIGURED_OWNER_TEXT }).waitFor();
      // The owner's line arrives twice (the send's reply and the event): it is shown once.
      expect(await bubbles('owner').getByTestId('console-message-text').allTextContents()).toEqual([
        'hello',
      ]);
      expect(await bubbles('assistant').count()).toBe(1);
      // In order, with times; the box is cleared for the next line.
      expect(await page.getByTestId('console-message').first().getAttribute('data-role')).toBe(
        'owner',
      );
      expect(await page.getByTestId('console-message').last().getAttribute('data-role')).toBe(
        'assistant',
      );
      expect(await bubbles('owner').locator('time').getAttribute('datetime')).toMatch(/^\d{4}-/);
      expect(await input.inputValue()).toBe('');

      // Shift+Enter is a new line, not a send.
      await input.fill('line one');
      await input.press('Shift+Enter');
      expect(await bubbles('owner').count()).toBe(1);
      await input.pressSequentially('line two');
      await page.getByTestId('console-send').click();
      await eventually(() =>
        bubbles('owner').last().getByTestId('console-message-text').textContent(),
      ).toBe('line one\nline two');

      // History comes back on a fresh load (the supervisor keeps it), still without duplicates.
      await page.reload();
      await page.getByTestId('console-view').waitFor();
      await eventually(() => bubbles('owner').count()).toBe(2);
      // The console answers every line (no quiet period for the owner).
      await eventually(() => bubbles('assistant').count()).toBe(2);
      expect(pageErrors).toEqual([]);
    });

    it('shows the QR codes from the socket double as they rotate, then the linked number', async () => {
      await show('providers');
      const whatsapp = card('whatsapp');
      const qr = whatsapp.getByTestId('whatsapp-qr');
      await qr.waitFor();
      expect(await stateText('whatsapp')).toBe(
        'Scan this QR code with WhatsApp (Settings → Linked devices)',
      );
      expect(await qr.getAttribute('src')).toMatch(/^data:image\/png;base64,/);

      // The image is the double's payload, drawn from the status: read it back from its pixels.
      let first: string | null = null;
      await eventually(async () => (first = await shownQrPayload(qr))).not.toBeNull();
      // WhatsApp rotates the code; the page must follow without a reload.
      let second: string | null = null;
      await eventually(async () => {
        const shown = await shownQrPayload(qr);
        if (shown !== first) second = shown;
        return second;
      }).not.toBeNull();
      expect(QR_PAYLOADS.indexOf(second!)).toBeGreaterThan(QR_PAYLOADS.indexOf(first!));
      expect(await whatsapp.getByTestId('provider-logout').isEnabled()).toBe(true);

      // The phone scans: the double pairs, WhatsApp restarts the stream (515), the login opens.
      writeFileSync(linkFile, 'scanned');
      await eventually(() => stateText('whatsapp')).toBe('Connected as +15550001111');
      expect(await cardState('whatsapp')).toBe('connected');
      expect(await qr.count()).toBe(0);
      // The link is saved where the provider keeps it, for the next start.
      expect(existsSync(join(whatsappAuthDir(stateDir), 'creds.json'))).toBe(true);

      // Telegram has no token here, and says so in plain words.
      expect(await stateText('telegram')).toBe('Disabled — no bot token configured');
      expect(await page.getByTestId('error').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });

    it('stops and starts a provider from its card, and says why one cannot start', async () => {
      await show('providers');
      const whatsapp = card('whatsapp');
      await eventually(() => cardState('whatsapp')).toBe('connected');

      await whatsapp.getByTestId('provider-stop').click();
      await eventually(() => stateText('whatsapp')).toBe('Stopped');
      expect(await whatsapp.getByTestId('provider-stop').count()).toBe(0);

      // Linked already: starting logs straight in, no QR code.
      await whatsapp.getByTestId('provider-start').click();
      await eventually(() => stateText('whatsapp')).toBe('Connected as +15550001111');
      expect(await whatsapp.getByTestId('whatsapp-qr').count()).toBe(0);

      // Starting Telegram without a token stops it with the reason and the time, not a loop.
      const telegram = card('telegram');
      await telegram.getByTestId('provider-start').click();
      await eventually(() => cardState('telegram')).toBe('error');
      expect(await stateText('telegram')).toMatch(
        /^Error: no Telegram bot token configured .* \(at .+\)$/,
      );
      expect(await telegram.getByTestId('provider-logout').count()).toBe(0);
      expect(pageErrors).toEqual([]);
    });

    it('logs WhatsApp out only after confirming, which unlinks it until a new QR is scanned', async () => {
      await show('providers');
      const whatsapp = card('whatsapp');
      await eventually(() => cardState('whatsapp')).toBe('connected');

      // Cancelling changes nothing.
      await whatsapp.getByTestId('provider-logout').click();
      const dialog = page.getByTestId('confirm-dialog');
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('unlinks');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      expect(await cardState('whatsapp')).toBe('connected');

      await whatsapp.getByTestId('provider-logout').click();
      await dialog.getByRole('button', { name: 'Log out' }).click();
      await eventually(() => stateText('whatsapp')).toBe('Logged out — link again');
      expect(existsSync(whatsappAuthDir(stateDir))).toBe(false);

      // Linking again starts from a fresh QR code (the double links at once: the file is there).
      await whatsapp.getByTestId('provider-start').click();
      await whatsapp.getByTestId('whatsapp-qr').waitFor();
      await eventually(() => stateText('whatsapp')).toBe('Connected as +15550001111');
      expect(pageErrors).toEqual([]);
    });

    it('disables the console and the provider controls, and says why, while the gateway is stopped', async () => {
      await show('dashboard');
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      await page.getByTestId('gateway-state').filter({ hasText: 'Stopped' }).waitFor();

      await show('console');
      expect(await page.getByTestId('console-unavailable').textContent()).toContain(
        'The gateway is not running',
      );
      expect(await page.getByTestId('console-input').isDisabled()).toBe(true);
      expect(await page.getByTestId('console-send').isDisabled()).toBe(true);
      // What was said stays on screen.
      expect(await bubbles('owner').count()).toBe(2);

      await show('providers');
      await page.getByTestId('providers-gateway-down').waitFor();
      // Nothing can be connected without the gateway; the supervisor shows it stopped.
      await eventually(() => stateText('whatsapp')).toBe('Stopped');
      expect(await card('whatsapp').getByTestId('provider-start').isDisabled()).toBe(true);

      await show('dashboard');
      await page.getByTestId('gateway-start').click();
      await page.getByTestId('gateway-state').filter({ hasText: 'Running' }).waitFor();
      await show('console');
      await page.getByTestId('console-unavailable').waitFor({ state: 'detached' });
      expect(await page.getByTestId('console-input').isEnabled()).toBe(true);
      expect(pageErrors).toEqual([]);
    });
  },
);
