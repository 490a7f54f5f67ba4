import { useSyncExternalStore } from 'react';
import { onThemeChange, readTheme, type ThemeChoice } from './theme-choice.js';

/** The current choice, re-rendering when it changes. */
export function useTheme(): ThemeChoice {
  return useSyncExternalStore(onThemeChange, readTheme, readTheme);
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
      const stop = onThemeChange(listener);
      media.addEventListener('change', listener);
      return () => {
        stop();
        media.removeEventListener('change', listener);
      };
    },
    currentScheme,
    currentScheme,
  );
}
