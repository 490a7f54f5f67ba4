import type { Page } from 'playwright-core';

/**
 * Submits a search in the viewer and times, inside the page, from the submit click to the first
 * row showing a match (rendered: the row's text contains the term). Checked every animation
 * frame, so the figure includes React's render and the browser's layout, as the owner sees it.
 */
export async function timeViewerSearch(page: Page, term: string): Promise<number> {
  await page.getByTestId('log-search').fill(term);
  return page.evaluate(async (needle) => {
    const doc = (globalThis as unknown as { document: PageDocument }).document;
    const raf = (globalThis as unknown as { requestAnimationFrame: (f: () => void) => void })
      .requestAnimationFrame;
    const submit = doc.querySelector('[data-testid="log-search"]')!.parentElement!;
    const button = submit.querySelector('button[type="submit"]')!;
    const started = performance.now();
    button.click();
    for (;;) {
      await new Promise<void>((resolve) => raf(() => resolve()));
      const row = doc.querySelector('[data-testid="log-row"][data-line]');
      if (row && row.textContent!.toLowerCase().includes(needle))
        return performance.now() - started;
      if (performance.now() - started > 30_000) return Number.NaN;
    }
  }, term.toLowerCase());
}

/** Clears the search and waits until the whole day is listed again. */
export async function clearSearch(page: Page, lines: string): Promise<void> {
  await page.getByTestId('log-search').fill('');
  await page.getByTestId('log-search').press('Enter');
  await page.getByTestId('log-count').filter({ hasText: lines }).waitFor();
}

/** The few DOM types the in-page timer uses (this file compiles against Node's types). */
interface PageElement {
  textContent: string | null;
  parentElement: PageElement | null;
  querySelector(selector: string): PageElement | null;
  click(): void;
}
interface PageDocument {
  querySelector(selector: string): PageElement | null;
}
