import { createTransport } from './api.js';
import { applyTheme, readTheme } from './state/theme.js';
import './tokens.css';
import './styles.css';
import './shell.css';

// The owner's theme before the first paint, so a dark choice never flashes light.
applyTheme(readTheme());
// The transport first: it takes web mode's token out of the hash, which then names the view.
// It opens its socket now, and the status snapshot is asked for at once, so the sign-in and the
// snapshot's round trip run while the browser compiles the app (React and the views are the
// bulk of the code, in the chunk imported below), not after it.
const transport = createTransport();
const early = transport?.invoke('status:get', {}) ?? null;
void import('./boot.js').then(({ boot }) => boot(transport, early));
