import { z } from 'zod';

// zod compiles object parsers with `new Function` when it can, and finds out whether it can by
// trying once. Under the renderer's CSP (no 'unsafe-eval') that try is refused and reported as a
// violation on every page load; the interpreted parsers are all the renderer needs. Imported
// first by main.tsx, before any schema parses.
z.config({ jitless: true });
