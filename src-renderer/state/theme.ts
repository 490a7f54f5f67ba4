import { useSyncExternalStore } from 'react';

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

/** The current choice, re-rendering when it changes. */
export function useTheme(): ThemeChoice {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    readTheme,
    readTheme,
  );
}

const DARK_QUERY = '(prefers-color-scheme: dark)';

/** The scheme the page shows now: the owner's choice, or under "system" the system's. */
function currentScheme(): 'light' | 'dark' {
  const choice = readTheme();
  if (choice !== 'system') return choice;
  return matchMedia(DARK_QUERY).matches ? 'dark' : 'light';
}

/**
 * The scheme the page shows, re-rendering when the owner's choice or (under "system") the
 * system's changes: for what CSS cannot restyle by itself, such as a chart drawn on a canvas.
 */
export function useColourScheme(): 'light' | 'dark' {
  return useSyncExternalStore(
    (listener) => {
      const media = matchMedia(DARK_QUERY);
      listeners.add(listener);
      media.addEventListener('change', listener);
      return () => {
        listeners.delete(listener);
        media.removeEventListener('change', listener);
      };
    },
    currentScheme,
    currentScheme,
  );
}
