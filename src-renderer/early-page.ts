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
 * gateway's state and the kill switch as soon as the status comes back. The first paint then
 * waits on nothing but the HTML, the stylesheet and the socket; the entry chunk (main.tsx) takes
 * this page over whenever it arrives, and only then loads React and the views.
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
}

declare global {
  interface Window {
    /** Set by the page's first script, taken (and removed) by the entry chunk. */
    clawdbotEarlyPage?: EarlyPage;
  }
}

/** Starts the page: the theme, the transport, the first status call and the early shell. */
export function startEarlyPage(): EarlyPage {
  // The transport first: its socket's round trips are what the first paint waits on (and it
  // takes web mode's token out of the hash, which then names the view).
  const transport = createTransport();
  const first = transport?.invoke('status:get', {}) ?? null;
  // The owner's theme, still before anything is painted: a dark choice never flashes light.
  applyTheme(readTheme());
  const shell = transport && first ? startEarlyShell(transport, first) : null;
  return { transport, first, shell };
}

/** How long the early page waits for the entry chunk before saying the app did not load. */
const TAKEOVER_DEADLINE_MS = 15_000;

/**
 * The inline script's part: start the page and leave it for the entry chunk. Should the entry
 * chunk never take it over (its script failed to load, or it has not come in time), the early
 * shell says so and keeps the kill switch, rather than "Loading the dashboard…" for ever.
 */
export function publishEarlyPage(): void {
  const page = startEarlyPage();
  window.clawdbotEarlyPage = page;
  const notTaken = (reason: string): void => {
    if (window.clawdbotEarlyPage === page) page.shell?.failed(new Error(reason));
  };
  // A script's load error does not bubble: caught on its way down instead.
  const onError = (event: Event): void => {
    if (event.target instanceof HTMLScriptElement && event.target.src) {
      notTaken(`${event.target.src} did not load`);
    }
  };
  window.addEventListener('error', onError, true);
  setTimeout(() => notTaken('its code did not arrive in time'), TAKEOVER_DEADLINE_MS);
}

/**
 * The entry chunk's part: the page the inline script started, or (should it not have run: a
 * policy without its hash, a page served without it) one started now.
 */
export function takeEarlyPage(): EarlyPage {
  const page = window.clawdbotEarlyPage;
  delete window.clawdbotEarlyPage;
  return page ?? startEarlyPage();
}
