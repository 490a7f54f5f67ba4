import { defineConfig } from 'vitest/config';

export default defineConfig({
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
