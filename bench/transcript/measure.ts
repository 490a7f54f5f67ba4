import type { Browser } from 'playwright-core';

/** What one open of a session took, measured inside the page. */
export interface OpenSample {
  /** Navigation to #sessions → the session's row listed (sessions:list round trip + render). */
  listMs: number;
  /** Navigation to #sessions → the transcript's first screen rendered and painted. */
  firstScreenMs: number;
  /** Transcript rows in the DOM at that moment (virtualised: a screenful plus overscan). */
  domRows: number;
}

/**
 * Opens web mode on a fresh page (a fresh store: nothing cached), waits until it is connected on
 * the dashboard, then times inside the page, on its own clock: set the hash to `#sessions`, wait
 * for the session's row, click it, and wait until the row of the session's last event is in the
 * scroller's viewport, plus two animation frames (the frame with the rows has been painted).
 */
export async function timeOpen(
  browser: Browser,
  url: string,
  sessionKey: string,
  lastId: number,
): Promise<OpenSample> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.getByTestId('gateway-state').waitFor({ state: 'visible', timeout: 30_000 });
    return await page.evaluate<OpenSample>(inPageTiming(sessionKey, lastId));
  } finally {
    await page.close();
  }
}

/**
 * The timing script, as plain JavaScript source: it runs in the page, and a function compiled by
 * the bench's TypeScript loader would carry helpers (`__name`) the page does not have.
 */
function inPageTiming(sessionKey: string, lastId: number): string {
  return `(async () => {
    const key = ${JSON.stringify(sessionKey)};
    const last = ${JSON.stringify(lastId)};
    const until = (probe) => new Promise((resolve, reject) => {
      const deadline = performance.now() + 30000;
      const check = () => {
        const value = probe();
        if (value !== null) resolve(value);
        else if (performance.now() > deadline) reject(new Error('timed out in the page'));
        else requestAnimationFrame(check);
      };
      check();
    });
    const t0 = performance.now();
    location.hash = '#sessions';
    const open = await until(() => document.querySelector(
      '[data-testid="session-row"][data-session-key="' + CSS.escape(key) + '"] [data-testid="session-open"]'));
    const listMs = performance.now() - t0;
    open.click();
    await until(() => {
      const scroller = document.querySelector('[data-testid="transcript-scroller"]');
      const row = scroller && scroller.querySelector('[data-event-id="' + last + '"]');
      if (!row) return null;
      const box = scroller.getBoundingClientRect();
      const r = row.getBoundingClientRect();
      return r.bottom > box.top && r.top < box.bottom ? true : null;
    });
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
    return {
      listMs,
      firstScreenMs: performance.now() - t0,
      domRows: document.querySelectorAll('[data-testid="transcript-event"]').length,
    };
  })()`;
}
