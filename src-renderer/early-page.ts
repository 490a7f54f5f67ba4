import type { StatusSnapshot } from '../src-shared/ipc/contract.js';
import type { Envelope } from '../src-shared/ipc/envelope.js';
import { createTransport } from './api.js';
import { startEarlyShell, type EarlyShell } from './early-shell.js';
import { applyTheme, readTheme } from './state/theme-choice.js';
import type { Transport } from './transport.js';

/*
 * The page's first script, inlined in index.html's head (bundled on its own from
 * inline/early-page-entry.ts by scripts/vite-inline-early-page.ts, allowed by its hash in the page's
 * CSP): it runs while the HTML is still being parsed, before any of the app's code has been
 * fetched. It applies the theme, opens the transport (web mode's socket: its handshake, the
 * sign-in and the status call start at once) and starts the early shell, which paints the
 * gateway's state and the kill switch as soon as the status comes back. Only then does it load
 * the entry chunk (main.tsx, named by the script's data-entry attribute), which takes this page
 * over and loads React and the views: the first paint waits on nothing but the HTML and the
 * socket, and no fetch or compile of the app's code competes with it for the machine's cores.
 *
 * Everything it imports is bundled into that script, so keep this module's imports React-free
 * and zod-free (the whole script is parsed before the first paint).
 */

/** What the first script started, for the entry chunk to take over. */
export interface EarlyPage {
  /** Null without a transport (web mode opened without a token). */
  transport: Transport | null;
  /** The first status call. */
  first: Promise<Envelope<StatusSnapshot>> | null;
  shell: EarlyShell | null;
  /**
   * Settles when the app's code may load without delaying the first paint: once the early shell
   * is on screen with the first status (two frames after it went into the page), at once when
   * there is nothing to paint (no transport, a failed status call), or after
   * EARLY_PAINT_WAIT_MS (a supervisor that takes the socket but does not answer).
   */
  painted: Promise<void>;
}

declare global {
  interface Window {
    /** Set by the page's first script, taken (and removed) by the entry chunk. */
    clawdbotEarlyPage?: EarlyPage;
  }
}

/**
 * How long the app's code waits for the early shell's first paint. Only a supervisor that signs
 * the socket in but does not answer takes this long; the app then shows its own waiting state.
 */
const EARLY_PAINT_WAIT_MS = 3_000;

/** Resolves after the frame now being prepared, and the next, have been painted. */
function twoFramesLater(): Promise<void> {
  return new Promise((resolve) =>
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 0))),
  );
}

/** Starts the page: the theme, the transport, the first status call and the early shell. */
export function startEarlyPage(): EarlyPage {
  // The script runs: index.html's notice that it did not is hidden (base.css).
  document.documentElement.classList.add('early-page');
  // The transport first: its socket's round trips are what the first paint waits on (and it
  // takes web mode's token out of the hash, which then names the view).
  const transport = createTransport();
  const first = transport?.invoke('status:get', {}) ?? null;
  // The owner's theme, still before anything is painted: a dark choice never flashes light.
  applyTheme(readTheme());
  const shell = transport && first ? startEarlyShell(transport, first) : null;
  const painted = new Promise<void>((resolve) => {
    if (!shell) return resolve();
    setTimeout(resolve, EARLY_PAINT_WAIT_MS);
    // (`shown` never rejects: a rejected status call is "nothing shown".)
    void shell.shown.then((shown) => (shown ? twoFramesLater().then(resolve) : resolve()));
  });
  return { transport, first, shell, painted };
}

/** How long the early page waits for the entry chunk, once asked for, to take the page over. */
const TAKEOVER_DEADLINE_MS = 15_000;

/**
 * The inline script's part: start the page, and once it has painted, load the entry chunk
 * (`entry`, from the script's data-entry attribute) and leave the page to it. Should the entry
 * chunk never take it over (its script failed to load, or has not come in time), the early
 * shell says so and keeps the kill switch, rather than "Loading the dashboard…" for ever.
 */
export function publishEarlyPage(entry: string | undefined): void {
  const page = startEarlyPage();
  window.clawdbotEarlyPage = page;
  // The first reason only: a script that failed to load is not later said to be slow.
  let said = false;
  const notTaken = (reason: string): void => {
    if (said || window.clawdbotEarlyPage !== page) return;
    said = true;
    page.shell?.failed(new Error(reason));
  };
  void page.painted.then(() => {
    // (After the paint: the shell's failure notice goes into #root, which is parsed by then.)
    if (!entry) return notTaken('the page names no code to load');
    const script = document.createElement('script');
    script.type = 'module';
    script.crossOrigin = ''; // as Vite's own module scripts and preloads: one cache entry
    script.src = entry;
    script.addEventListener('error', () => notTaken(`${script.src} did not load`));
    document.head.append(script);
    setTimeout(() => notTaken('its code did not arrive in time'), TAKEOVER_DEADLINE_MS);
  });
}

/**
 * The entry chunk's part: the page the inline script started, or (on a page without it: Vite's
 * dev server, which loads the entry chunk from the HTML) one started now.
 */
export function takeEarlyPage(): EarlyPage {
  const page = window.clawdbotEarlyPage;
  delete window.clawdbotEarlyPage;
  return page ?? startEarlyPage();
}
