import { createHash } from 'node:crypto';
import { build } from 'esbuild';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from '../src-main/web/content-security-policy.js';
import { INLINE_SCRIPT_HASHES_FILE } from '../src-main/web/inline-script-hashes.js';

const CSP_META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*("\s*\/?>)/;

/** The SHA-256 CSP source of an inline script's exact text. */
export function scriptHash(code: string): string {
  return `sha256-${createHash('sha256').update(code, 'utf8').digest('base64')}`;
}

/**
 * Inlines `entry` (bundled on its own by esbuild, minified, as one classic script) into the built
 * index.html right after its CSP meta tag, so it runs while the rest of the page is still being
 * parsed. The page's policy allows it by hash and nothing else inline: the plugin writes the meta
 * tag's policy (contentSecurityPolicy) with the hash, and the hash into
 * INLINE_SCRIPT_HASHES_FILE, from which the web server and the desktop session build their
 * header policy (a header policy without it would refuse the script, meta tag or not).
 */
export function inlineBootstrap(entry: string): Plugin {
  let code = '';
  let hash = '';
  return {
    name: 'clawdbot:inline-bootstrap',
    apply: 'build',
    async buildStart() {
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
      code = (result.outputFiles[0]?.text ?? '').trim();
      // `</script` inside the code would end the element early and run the rest as HTML.
      if (!code || /<\/script/i.test(code)) {
        throw new Error(`${entry} did not bundle into a script that can be inlined`);
      }
      hash = scriptHash(code);
      for (const file of result.metafile?.inputs ? Object.keys(result.metafile.inputs) : [])
        this.addWatchFile(file);
    },
    transformIndexHtml: {
      order: 'post',
      handler(html) {
        if (!CSP_META.test(html)) {
          throw new Error('index.html has no Content-Security-Policy meta tag for the bootstrap');
        }
        return html.replace(
          CSP_META,
          (_match, open: string, close: string) =>
            `${open}${contentSecurityPolicy([hash], 'meta')}${close}\n    <script>${code}</script>`,
        );
      },
    },
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: INLINE_SCRIPT_HASHES_FILE,
        source: `${JSON.stringify({ scriptHashes: [hash] }, null, 2)}\n`,
      });
    },
  };
}
