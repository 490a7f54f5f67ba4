import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Rollup } from 'vite';
import { inlineEarlyPage } from './scripts/vite-inline-early-page.js';

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
    // index.html's inline first script paints the early shell (src-renderer/early-page.ts).
    plugins: [
      react(),
      inlineEarlyPage(resolve(__dirname, 'src-renderer/inline/early-page-entry.ts')),
    ],
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
