import * as z from 'zod/v4';

// zod compiles object parsers with `new Function` when it can, and finds out whether it can by
// trying once. Under the renderer's CSP (no 'unsafe-eval') that try is refused and reported as a
// violation on every page load; the interpreted parsers are all the renderer needs. The renderer
// build aliases `zod` to this module (electron.vite.config.ts), so the setting is made wherever
// zod first loads — the dashboard keeps zod out of its first chunk, so that is a lazy one — and
// always before any schema parses.
z.config({ jitless: true });

export * from 'zod/v4';
export { z };
