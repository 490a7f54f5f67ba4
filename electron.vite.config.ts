import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin, Rollup } from 'vite';

/**
 * zod ships `@__PURE__` comments where Rollup cannot use them; Rollup drops them and says so
 * at length on every build. Only that warning, and only for zod's own files, is silenced:
 * every other warning still shows, so a quiet build means nothing is wrong.
 */
function onwarn(warning: Rollup.RollupLog, warn: (warning: Rollup.RollupLog) => void): void {
  if (
    warning.code === 'INVALID_ANNOTATION' &&
    /[\\/]node_modules[\\/]zod[\\/]/.test(warning.id ?? '')
  )
    return;
  warn(warning);
}

/**
 * The entry chunk imports the app's chunk (React and the views) only after painting the early
 * shell, so that its evaluation does not delay that paint; a preload link lets the browser fetch
 * it meanwhile, so waiting to evaluate costs no download time.
 */
function preloadAppChunk(): Plugin {
  return {
    name: 'clawdbot-preload-app-chunk',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, context) {
        const chunk = Object.values(context.bundle ?? {}).find(
          (item): item is Rollup.OutputChunk =>
            item.type === 'chunk' && item.isDynamicEntry && item.name === 'boot',
        );
        if (!chunk) throw new Error('no boot chunk in the renderer build: main.tsx imports it');
        return [
          {
            tag: 'link',
            attrs: { rel: 'modulepreload', crossorigin: true, href: `./${chunk.fileName}` },
            injectTo: 'head',
          },
        ];
      },
    },
  };
}

// Five entries: the Electron main process, its sandboxed preload, the renderer, and the two
// Node entries that must also run without Electron (the gateway child and the CLI).
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          main: resolve(__dirname, 'src-main/app/main.ts'),
          gateway: resolve(__dirname, 'src-main/gateway/main.ts'),
          cli: resolve(__dirname, 'src-main/cli/entry.ts'),
        },
        onwarn,
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { preload: resolve(__dirname, 'src-main/app/preload.ts') },
        // A sandboxed preload cannot load ES modules or require anything but 'electron'.
        output: { format: 'cjs', entryFileNames: '[name].cjs', inlineDynamicImports: true },
        onwarn,
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    plugins: [react(), preloadAppChunk()],
    // Radix Dialog's scroll lock injects a <style> element through react-style-singleton, which
    // the renderer's CSP (style-src 'self') refuses: ours adopts a constructed stylesheet instead.
    resolve: {
      alias: [
        {
          find: /^react-style-singleton$/,
          replacement: resolve(__dirname, 'src-renderer/csp/style-singleton.ts'),
        },
        {
          // zod without its eval probe, which the CSP reports (see the module).
          find: /^zod$/,
          replacement: resolve(__dirname, 'src-renderer/csp/zod-jitless.ts'),
        },
      ],
    },
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      // The app's chunk (React, Radix, lucide, the shell and the dashboard; ~370 kB) loads from
      // disk (desktop) or localhost (web mode), never over a slow network, so the 500 kB warning
      // meant for websites would only put a scary line at the top of every newcomer's `npm start`.
      chunkSizeWarningLimit: 1024,
      rollupOptions: {
        input: resolve(__dirname, 'src-renderer/index.html'),
        onwarn,
      },
    },
  },
});
