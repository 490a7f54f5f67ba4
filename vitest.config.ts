import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Only the types of Electron may reach a test; loading the module itself fails loudly.
  resolve: {
    alias: [
      {
        find: /^electron$/,
        replacement: fileURLToPath(new URL('./test/helpers/no-electron.ts', import.meta.url)),
      },
    ],
  },
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/global-setup.ts'],
    // Process, Docker and browser tests take real seconds; none asserts on time.
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // The kill switch removes every labelled container on the engine, so test files that touch
    // the real Docker engine must not overlap: run files one at a time.
    fileParallelism: false,
  },
});
