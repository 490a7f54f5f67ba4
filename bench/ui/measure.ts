import type { Browser } from 'playwright-core';

/** Keys typed per latency sample; the figure is their median. */
const KEYS = 30;

/** When a fresh page showed what matters first, and when the whole app had rendered. */
export interface PaintTimes {
  /** The first meaningful paint: the gateway's state and an armed kill switch. */
  paint: number;
  /** The app's own shell (React's status bar) painted; null when not asked for. */
  app: number | null;
}

/**
 * The dashboard's first meaningful paint on a fresh page: navigation start (the page's own
 * clock, 0) → the frame painted in which the gateway's state and an armed kill switch are both
 * on screen (the snapshot has arrived over the socket and rendered), two animation frames after
 * a MutationObserver saw them. Installed before any page script runs. With `app`, also the
 * frame in which the app's status bar (React's shell, after the views' code ran) is painted.
 */
export async function timeFirstPaint(
  browser: Browser,
  url: string,
  options: { app: boolean },
): Promise<PaintTimes> {
  const page = await browser.newPage();
  try {
    await page.addInitScript(`(() => {
      const painted = (ready) => new Promise((done) => {
        const check = () => {
          if (!ready()) return false;
          requestAnimationFrame(() => requestAnimationFrame(() => done(performance.now())));
          return true;
        };
        const observer = new MutationObserver(() => { if (check()) observer.disconnect(); });
        observer.observe(document, { childList: true, subtree: true, attributes: true });
      });
      window.__firstPaint = painted(() =>
        document.querySelector('[data-testid="gateway-state"]') &&
        document.querySelector('[data-testid="kill-switch"]:not([disabled])'));
      window.__appPaint = ${options.app} ? painted(() => document.querySelector('[data-testid="statusbar"]')) : null;
    })()`);
    await page.goto(url);
    // Evaluated through CDP, which the page's CSP allows (polling from inside the page would not).
    const paint = await page.evaluate<number>('window.__firstPaint');
    const app = await page.evaluate<number | null>('window.__appPaint');
    return { paint, app };
  } finally {
    await page.close();
  }
}

/**
 * Input latency in the Sessions view with `sessionKey`'s transcript open: `during()` starts (or
 * not) the stream, then KEYS keys are typed into the transcript search box, each timed inside
 * the page from the keydown event's timestamp to the next frame after its input event was
 * handled (requestAnimationFrame, then a task: the frame that shows the character). Returns
 * the median.
 */
export async function timeTyping(
  browser: Browser,
  url: string,
  sessionKey: string,
  during: () => void,
): Promise<number> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.getByTestId('nav-sessions').click();
    await page
      .locator(`[data-testid="session-row"][data-session-key="${sessionKey}"]`)
      .getByTestId('session-open')
      .click();
    await page.getByTestId('transcript-scroller').waitFor({ timeout: 30_000 });
    const input = page.getByTestId('session-search-input');
    await input.focus();
    await page.evaluate(`(() => {
      const latencies = [];
      let done;
      window.__latencies = new Promise((resolve) => { done = resolve; });
      let down = 0;
      const box = document.querySelector('[data-testid="session-search-input"]');
      box.addEventListener('keydown', (event) => { down = event.timeStamp; }, true);
      box.addEventListener('input', () => {
        const start = down;
        requestAnimationFrame(() => setTimeout(() => {
          latencies.push(performance.now() - start);
          if (latencies.length === ${KEYS}) done(latencies);
        }, 0));
      });
    })()`);
    during();
    // Let the stream reach the page before the first key.
    await page.waitForTimeout(500);
    for (let i = 0; i < KEYS; i++) await page.keyboard.type('abcdefghij'[i % 10]!, { delay: 40 });
    const samples = await page.evaluate<number[]>('window.__latencies');
    const sorted = [...samples].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)]!;
  } finally {
    await page.close();
  }
}
