import { takeEarlyPage } from './early-page.js';
// The first paint's stylesheet (inlined into index.html); the rest loads with the app's chunk.
import './tokens.css';
import './base.css';

// The theme, the transport, the first status call and the early shell were started by the
// page's inline first script (early-page.ts), which loaded this chunk once its shell had painted.
const { transport, first: early, shell, painted } = takeEarlyPage();

// The app's chunk (React and the views, the bulk of the code) loads only once the early shell
// has painted the gateway's state and the kill switch (or after the early page's wait, should
// the snapshot be slow): compiling it holds the main thread, and loaded together with the
// entry chunk it delayed that first paint by ~50 ms (bench/ui, A/B).
/**
 * The app could not start: the early shell says so and keeps the kill switch (without a shell,
 * #root says so).
 */
function notStarted(error: unknown): void {
  if (shell) return shell.failed(error);
  // Looked up now: without a shell, this chunk may have run before the body was parsed.
  document.getElementById('root')?.replaceChildren(
    Object.assign(document.createElement('p'), {
      role: 'alert',
      textContent: `The app could not load (${error instanceof Error ? error.message : String(error)}). Reload the page to try again.`,
    }),
  );
}

void painted
  .then(() => import('./boot.js'))
  .then(({ boot }) => {
    try {
      boot(transport, shell?.latest() ?? early);
    } catch (error) {
      // The shell is still live (and on screen): boot() threw before React rendered anything.
      return notStarted(error);
    }
    shell?.dispose();
  }, notStarted);
