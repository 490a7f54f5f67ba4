/**
 * Screenshots of every view, light and dark, at 1440×900 and 900×700, taken from the real web
 * mode (headless supervisor, built gateway and renderer) over a seeded state, so a reviewer can
 * look without setting anything up. Writes PNGs into `screenshots/` (gitignored) or the folder
 * given as the first argument. Needs a build (`npm run build`) and Debian's Chromium.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Docker from 'dockerode';
import { chromium } from 'playwright-core';
import { seedBusyState } from '../bench/ui/seed.js';
import { openDatabase } from '../src-main/store/open-database.js';
import { startHeadlessSupervisor } from '../src-main/web/headless.js';
import { VIEWS } from '../src-renderer/state/view.js';

const repoRoot = resolve(import.meta.dirname, '..');
const outDir = resolve(process.argv[2] ?? join(repoRoot, 'screenshots'));
const SIZES = [
  { width: 1440, height: 900 },
  { width: 900, height: 700 },
] as const;
const THEMES = ['light', 'dark'] as const;

async function main(): Promise<void> {
  mkdirSync(outDir, { recursive: true });
  const root = mkdtempSync(join(tmpdir(), 'clawdbot-screenshots-'));
  const stateDir = join(root, 'state');
  mkdirSync(stateDir, { recursive: true, mode: 0o700 });
  const db = openDatabase(stateDir);
  seedBusyState(db, 40);
  db.close();
  const supervisor = await startHeadlessSupervisor({
    stateDir,
    env: { ...process.env, CLAWDBOT_STATE_DIR: stateDir },
    gatewayEntry: join(repoRoot, 'out', 'main', 'gateway.js'),
    // The engine the environment names (DOCKER_HOST), or none: the views say so either way.
    docker: new Docker({ timeout: 2000 }),
    web: { host: '127.0.0.1', port: 0, rendererDir: join(repoRoot, 'out', 'renderer') },
  });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    for (const theme of THEMES) {
      for (const size of SIZES) {
        const page = await browser.newPage({ viewport: size, colorScheme: theme });
        await page.goto(supervisor.webUrl ?? '');
        await page.getByTestId('sidebar').waitFor();
        for (const view of VIEWS) {
          await page.getByTestId(`nav-${view}`).click();
          // Live data arrives over the socket; a short settle lets lists fill before the shot.
          await page.waitForLoadState('networkidle').catch(() => undefined);
          await page.waitForTimeout(400);
          const file = join(outDir, `${view}-${theme}-${size.width}x${size.height}.png`);
          await page.screenshot({ path: file, fullPage: false });
          console.log(file);
        }
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await supervisor.close();
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
