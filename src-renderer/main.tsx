import { createTransport } from './api.js';
import { startEarlyShell } from './early-shell.js';
import { applyTheme, readTheme } from './state/theme.js';
import './tokens.css';
import './styles.css';
import './shell.css';

// The owner's theme before the first paint, so a dark choice never flashes light.
applyTheme(readTheme());
// The transport first: it takes web mode's token out of the hash, which then names the view.
// It opens its socket now and asks for the status snapshot at once, for the early shell.
const transport = createTransport();
const early = transport?.invoke('status:get', {}) ?? null;
const root = document.getElementById('root');
const shell = transport && early && root ? startEarlyShell(root, transport, early) : null;

// The app's chunk (React and the views, the bulk of the code) is fetched only once the early
// shell has painted the gateway's state and the kill switch, or after a short wait should the
// snapshot be slow (the app then shows whatever comes, sign-in included). Compiling it holds the
// main thread: preloaded from index.html it arrived with the entry chunk and delayed that first
// paint by ~50 ms (bench/ui, A/B), for ~30 ms less on the whole app's.
const EARLY_PAINT_WAIT_MS = 300;
const painted = new Promise<void>((resolve) => {
  const afterPaint = () => requestAnimationFrame(() => setTimeout(resolve, 0));
  setTimeout(resolve, EARLY_PAINT_WAIT_MS);
  void early?.then(afterPaint, afterPaint);
  if (!early) resolve();
});

void painted
  .then(() => import('./boot.js'))
  .then(
    ({ boot }) => {
      shell?.dispose();
      boot(transport, shell?.latest() ?? early);
    },
    (error: unknown) => {
      if (shell) return shell.failed(error);
      root?.replaceChildren(
        Object.assign(document.createElement('p'), {
          role: 'alert',
          textContent: `The app could not load (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`,
        }),
      );
    },
  );
