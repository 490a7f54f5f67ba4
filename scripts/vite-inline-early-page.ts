import { createHash } from 'node:crypto';
import { basename, resolve } from 'node:path';
import { build } from 'esbuild';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from '../src-main/web/content-security-policy.js';
import { INLINE_HASHES_FILE, type InlineHashes } from '../src-main/web/inline-hashes.js';

const CSP_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*("\s*\/?>)/;
// The entry chunk's stylesheet, as Vite links it from index.html.
const ENTRY_STYLESHEET = /<link rel="stylesheet"(?: crossorigin)? href="\.\/(assets\/[^"]+\.css)">/;
// The entry chunk's module script, as Vite puts it in index.html.
const ENTRY_SCRIPT =
  /\s*<script type="module" crossorigin src="(\.\/assets\/[\w.-]+\.js)"><\/script>/;

/** The SHA-256 CSP source of an inline element's exact text. */
export function inlineHash(text: string): string {
  return `sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}`;
}

/**
 * Makes the built index.html paint without fetching anything but its socket (the early page,
 * src-renderer/early-page.ts):
 * - `entry` (bundled on its own by esbuild, minified, as one classic script) goes inline right
 *   after the CSP meta tag, so it runs while the rest of the page is still being parsed;
 * - the entry chunk's module script leaves the page: its URL goes on the inline script's
 *   data-entry attribute, and the early page loads it once it has painted (fetched and compiled
 *   with the page, it competed with the socket and the first paint for the machine's cores);
 * - the entry chunk's stylesheet (tokens and base: what the first paint needs) goes inline
 *   in place of its link, so the first paint does not wait for its fetch.
 * The page's policy allows the two by hash and nothing else inline: the plugin writes the meta
 * tag's policy (contentSecurityPolicy) with the hashes, and the hashes into INLINE_HASHES_FILE,
 * from which the web server and the desktop session build their header policy (a header policy
 * without them would refuse both, meta tag or not).
 */
export function inlineEarlyPage(entry: string): Plugin {
  let code = '';
  let hashes: InlineHashes = { scripts: [], styles: [] };
  let inlinedStylesheet: string | null = null;
  return {
    name: 'clawdbot:inline-early-page',
    apply: 'build',
    async buildStart() {
      hashes = { scripts: [], styles: [] }; // a fresh build's (watch mode keeps this closure)
      inlinedStylesheet = null;
      const result = await build({
        entryPoints: [entry],
        bundle: true,
        write: false,
        format: 'iife',
        minify: true,
        target: 'es2022',
        platform: 'browser',
        legalComments: 'none',
        metafile: true,
      });
      // Bundled apart from Vite's own config (no define, no env): whatever esbuild only warns
      // about (an import.meta.env that would be undefined here) fails the build instead.
      if (result.warnings.length > 0) {
        throw new Error(`${entry}: ${result.warnings.map((warning) => warning.text).join('; ')}`);
      }
      code = (result.outputFiles[0]?.text ?? '').trim();
      // `</script` inside the code would end the element early and run the rest as HTML, and
      // `<!--` can switch the HTML tokenizer into its escaped script states.
      if (!code || /<\/script|<!--/i.test(code)) {
        throw new Error(`${entry} did not bundle into a script that can be inlined`);
      }
      hashes.scripts = [inlineHash(code)];
      for (const file of Object.keys(result.metafile.inputs)) this.addWatchFile(resolve(file));
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, context) {
        if (!CSP_META.test(html)) {
          throw new Error('index.html has no Content-Security-Policy meta tag to carry the hashes');
        }
        const link = ENTRY_STYLESHEET.exec(html);
        const asset = link?.[1] ? context.bundle?.[link[1]] : undefined;
        if (!link || asset?.type !== 'asset') {
          throw new Error("index.html links no stylesheet of the entry chunk's to inline");
        }
        const css = String(asset.source).trim();
        if (/<\/style/i.test(css))
          throw new Error(`${link[1]} cannot be inlined: it holds </style`);
        const script = ENTRY_SCRIPT.exec(html);
        if (!script?.[1]) throw new Error("index.html has no module script of the entry chunk's");
        const entryUrl = script[1];
        hashes.styles = [inlineHash(css)];
        // (The stylesheet's file stays, but no chunk loads it: see generateBundle.)
        inlinedStylesheet = link[1] ?? null;
        return html
          .replace(script[0], '')
          .replace(link[0], () => `<style>${css}</style>`)
          .replace(
            CSP_META,
            (_match, open: string, close: string) =>
              `${open}${contentSecurityPolicy(hashes, 'meta')}${close}\n    <script data-entry="${entryUrl}">${code}</script>`,
          );
      },
    },
    // After Vite's own HTML step, which is where transformIndexHtml (and so the style's hash)
    // runs in a build, and after its preload lists (__vite__mapDeps) are written into the chunks.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        if (hashes.styles.length === 0 || !inlinedStylesheet) {
          throw new Error('index.html was not transformed yet');
        }
        // Every chunk that imports from the entry chunk lists the entry's stylesheet among the
        // dependencies Vite's preload helper loads with it, and the helper, finding no <link>
        // to it (it is inline), would link it again at the end of <head>: after styles.css,
        // shell.css and the views' rules, where its rules win every tie they used to lose.
        // Named as the entry chunk instead, which the same list holds and the page has loaded,
        // the helper skips it (and preloads nothing new).
        const entry = Object.values(bundle).find(
          (output) => output.type === 'chunk' && output.isEntry,
        );
        if (!entry) throw new Error('the renderer build has no entry chunk');
        const stylesheetRef = JSON.stringify(`./${basename(inlinedStylesheet)}`);
        const entryRef = JSON.stringify(`./${basename(entry.fileName)}`);
        for (const output of Object.values(bundle)) {
          if (output.type === 'chunk' && output.code.includes(stylesheetRef)) {
            output.code = output.code.replaceAll(stylesheetRef, entryRef);
          }
        }
        this.emitFile({
          type: 'asset',
          fileName: INLINE_HASHES_FILE,
          source: `${JSON.stringify(hashes, null, 2)}\n`,
        });
      },
    },
  };
}
