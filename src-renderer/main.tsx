import { takeEarlyPage } from './early-page.js';
import './tokens.css';
import './styles.css';
import './shell.css';

// The theme, the transport, the first status call and the early shell were started by the
// page's inline first script (early-page.ts), before this chunk had even been fetched.
const { transport, first: early, shell } = takeEarlyPage();
const root = document.getElementById('root');

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
