// index.html's inline script (see early-socket.ts): bundled alone by scripts/vite-inline-bootstrap.ts.
import { openEarlySocket } from '../early-socket.js';

openEarlySocket();
