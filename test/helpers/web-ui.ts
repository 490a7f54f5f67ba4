import type Docker from 'dockerode';
import type { Browser, Page } from 'playwright-core';
import type { ImageBuilder } from '../../src-main/supervisor/image-build-admin.js';
import { startHeadlessSupervisor, type HeadlessSupervisor } from '../../src-main/web/headless.js';
import { launchChromium, openWatchedPage } from './browser.js';
import { builtGateway, builtRenderer } from './paths.js';
import { unreachableDocker } from './supervisor.js';

/** Web mode in this process, and Debian's Chromium on its page. */
export interface WebUi {
  supervisor: HeadlessSupervisor;
  browser: Browser;
  page: Page;
}

/**
 * Starts the real headless supervisor (built gateway, built renderer, loopback on a free port)
 * on a state directory and opens its page in Chromium, with page errors collected into
 * `pageErrors`. Docker is unreachable unless a client is given.
 */
export async function openWebUi(
  options: {
    stateDir: string;
    env?: NodeJS.ProcessEnv;
    docker?: Docker;
    /** The sandbox image build's recipe, when not assets/sandbox's. */
    imageBuild?: ImageBuilder;
  },
  pageErrors: string[],
): Promise<WebUi> {
  const supervisor = await startHeadlessSupervisor({
    stateDir: options.stateDir,
    env: options.env,
    gatewayEntry: builtGateway,
    docker: options.docker ?? unreachableDocker(),
    web: { host: '127.0.0.1', port: 0, rendererDir: builtRenderer },
    ...(options.imageBuild && { imageBuild: options.imageBuild }),
  });
  const browser = await launchChromium();
  const page = await openWatchedPage(browser, pageErrors);
  await page.goto(supervisor.webUrl ?? '');
  return { supervisor, browser, page };
}
