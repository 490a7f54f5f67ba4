// index.html's inline first script (see ../early-page.ts), bundled alone by scripts/vite-inline-early-page.ts.
import { publishEarlyPage } from '../early-page.js';

publishEarlyPage();
