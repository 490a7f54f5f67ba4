import { useEffect } from 'react';

/**
 * The renderer's stand-in for `react-style-singleton` (the bundler aliases the package to this
 * file). Radix Dialog's scroll lock (react-remove-scroll) uses it to add `body { overflow:
 * hidden }` and the scroll bar's gap while a modal is open. The original adds a `<style>`
 * element, which the renderer's Content-Security-Policy (`style-src 'self'`) refuses, so the
 * lock silently did nothing and every open dialog reported a violation. This one adopts a
 * constructed stylesheet instead: CSSOM, which CSP does not govern, so the policy stays as strict
 * as it is, in the desktop window (a file:// page, where a per-load nonce has nowhere to come
 * from) and in web mode alike. Same three exports, same reference counting.
 */

/** Adds one stylesheet to the document while anyone holds it: `add` on mount, `remove` on unmount. */
export interface StyleSingleton {
  add(style: string): void;
  remove(): void;
}

/** A reference-counted stylesheet: added on the first `add`, removed on the last `remove`. */
export function stylesheetSingleton(): StyleSingleton {
  let holders = 0;
  let sheet: CSSStyleSheet | null = null;
  return {
    add(style) {
      if (holders === 0) {
        const added = new CSSStyleSheet();
        added.replaceSync(style);
        document.adoptedStyleSheets = [...document.adoptedStyleSheets, added];
        sheet = added;
      }
      holders++;
    },
    remove() {
      holders--;
      if (holders === 0 && sheet) {
        const gone = sheet;
        document.adoptedStyleSheets = document.adoptedStyleSheets.filter((s) => s !== gone);
        sheet = null;
      }
    },
  };
}

/** A hook that holds a shared stylesheet while the calling component is mounted. */
export function styleHookSingleton(): (styles: string, isDynamic?: boolean) => void {
  const sheet = stylesheetSingleton();
  // New styles replace the old ones (the original kept the first unless told `isDynamic`; the
  // scroll lock computes its styles once per lock, so following them is the same there).
  const useStyle = (styles: string): void => {
    useEffect(() => {
      sheet.add(styles);
      return () => sheet.remove();
    }, [styles]);
  };
  return useStyle;
}

/** A component that holds a shared stylesheet while it is mounted (what react-remove-scroll renders). */
export function styleSingleton(): (props: { styles: string; dynamic?: boolean }) => null {
  const useStyle = styleHookSingleton();
  const Sheet = ({ styles }: { styles: string; dynamic?: boolean }): null => {
    useStyle(styles);
    return null;
  };
  return Sheet;
}
