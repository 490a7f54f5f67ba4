import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import { SkipSummaryReporter } from './test/skip-summary-reporter.js';

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
    // What a test needs beyond Node: it skips without it (and the run ends with one line saying
    // so), or fails under CLAWDBOT_REQUIRE_DOCKER=1 / CLAWDBOT_REQUIRE_BROWSER=1.
    tags: [
      { name: 'docker', description: 'needs a Docker engine (DOCKER_HOST, or the local socket)' },
      { name: 'sandbox-image', description: 'needs the sandbox image, built by the test run' },
      { name: 'browser', description: "needs Debian's Chromium at /usr/bin/chromium" },
    ],
    reporters: ['default', new SkipSummaryReporter()],
  },
});
