/*
 * The owner's theme choice, free of React: the page's inline first script (early-page.ts)
 * applies it before anything is painted, so a dark choice never flashes light.
 */

/** The owner's theme choice: follow the system, or always light, or always dark. */
export type ThemeChoice = 'system' | 'light' | 'dark';

/** The theme choices, in menu order. */
export const THEME_CHOICES: readonly ThemeChoice[] = ['system', 'light', 'dark'];

const KEY = 'clawdbot.theme';
const listeners = new Set<() => void>();

function isChoice(value: unknown): value is ThemeChoice {
  return value === 'system' || value === 'light' || value === 'dark';
}

/** The stored choice (system when none, or when storage is unavailable). */
export function readTheme(): ThemeChoice {
  try {
    const stored = localStorage.getItem(KEY);
    return isChoice(stored) ? stored : 'system';
  } catch {
    return 'system';
  }
}

/**
 * Applies a choice to the page (data-theme on <html>, which tokens.css reads) and remembers it
 * in this browser, so a reload keeps it.
 */
export function applyTheme(choice: ThemeChoice): void {
  if (choice === 'system') delete document.documentElement.dataset['theme'];
  else document.documentElement.dataset['theme'] = choice;
  try {
    localStorage.setItem(KEY, choice);
  } catch {
    // A browser that refuses storage still gets the theme for this page's life.
  }
  for (const listener of listeners) listener();
}

/** Calls `listener` whenever a choice is applied; returns the unsubscribe. */
export function onThemeChange(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
