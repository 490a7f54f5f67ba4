// index.html's inline first script (see ../early-page.ts), bundled alone by scripts/vite-inline-early-page.ts.
import { publishEarlyPage } from '../early-page.js';

// The entry chunk's URL, which the build put on this script's element (its text is hashed; the
// name changes with every build).
publishEarlyPage(
  document.currentScript instanceof HTMLScriptElement
    ? document.currentScript.dataset['entry']
    : undefined,
);
