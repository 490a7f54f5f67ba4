import type { InlineHashes } from './inline-hashes.js';

const sources = (directive: string, hashes: readonly string[]): string =>
  [directive, "'self'", ...hashes.map((hash) => `'${hash}'`)].join(' ');

/**
 * The renderer's Content-Security-Policy: our own scripts and styles, our own socket, nothing
 * else; inline only by hash, for the build's own first script and first stylesheet (see
 * src-renderer/early-page.ts). One function makes it for every place it is delivered: the web
 * server's and the desktop session's headers, and the meta tag the build writes into index.html.
 * `frame-ancestors` exists only as a header (a meta tag's is ignored, with a console error).
 */
export function contentSecurityPolicy(
  inline: InlineHashes,
  delivery: 'header' | 'meta' = 'header',
): string {
  return [
    "default-src 'none'",
    sources('script-src', inline.scripts),
    sources('style-src', inline.styles),
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    ...(delivery === 'header' ? ["frame-ancestors 'none'"] : []),
  ].join('; ');
}

/**
 * The headers of every response of the web server. Cross-Origin-Opener-Policy puts the page in a
 * browsing context group of its own, so a page that opened it holds no handle to it; the browser
 * pays for that with a process of its own for the page (measured by bench/ui as part of its floor).
 */
export function webSecurityHeaders(inline: InlineHashes): Readonly<Record<string, string>> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(inline),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-store',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
