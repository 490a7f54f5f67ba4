import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/** How many times Tab and Shift+Tab are pressed: more than any dialog has controls. */
const TAB_PRESSES = 8;

// Strings, evaluated in the page: this project's Node types know no DOM.
const BODY_OVERFLOW = 'getComputedStyle(document.body).overflow';

/** Whether the element with focus is inside the element with this test id. */
function focusInside(page: Page, testId: string): Promise<boolean> {
  return page.evaluate<boolean>(
    `document.activeElement?.closest('[data-testid="${testId}"]') != null`,
  );
}

/**
 * Checks what the owner relies on from an open dialog (found by its test id): it is a modal
 * dialog named by its title, focus is inside it and Tab and Shift+Tab never leave it, and the
 * page behind cannot scroll. A Content Security Policy violation on the way (the scroll lock's
 * styles refused, say) is collected by openWatchedPage; the caller asserts those stay empty.
 */
export async function expectTrappingModal(page: Page, testId: string): Promise<void> {
  const dialog = page.getByTestId(testId);
  await dialog.waitFor({ state: 'visible' });
  expect(await dialog.getAttribute('role')).toBe('dialog');
  const title = await page.evaluate<string>(
    `document.getElementById(document.querySelector('[data-testid="${testId}"]')` +
      `.getAttribute('aria-labelledby') ?? '')?.textContent ?? ''`,
  );
  expect(title).not.toBe('');
  expect(await focusInside(page, testId)).toBe(true);
  for (const key of ['Tab', 'Shift+Tab']) {
    for (let press = 0; press < TAB_PRESSES; press++) {
      await page.keyboard.press(key);
      expect(await focusInside(page, testId), `focus left the dialog after ${key}`).toBe(true);
    }
  }
  // The scroll lock: the page behind a modal stays where it is.
  expect(await page.evaluate<string>(BODY_OVERFLOW)).toBe('hidden');
}

/**
 * Presses Escape on an open dialog and checks it closes, unlocks the page and gives focus back
 * to the control with test id `openerTestId` (the one that had it when the dialog opened; null
 * when nothing had it, as when a dialog opens by itself).
 */
export async function escapeReturnsFocus(
  page: Page,
  testId: string,
  openerTestId: string | null,
): Promise<void> {
  await page.keyboard.press('Escape');
  await page.getByTestId(testId).waitFor({ state: 'detached' });
  if (openerTestId !== null) {
    await expect
      .poll(() => page.evaluate<string | null>(`document.activeElement?.dataset.testid ?? null`))
      .toBe(openerTestId);
  }
  expect(await page.evaluate<string>(BODY_OVERFLOW)).not.toBe('hidden');
}
