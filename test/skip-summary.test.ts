import { describe, expect, it } from 'vitest';
import { newcomerEnv, runToEnd } from './helpers/fresh-clone.js';
import { NO_DOCKER_HOST, repoRoot } from './helpers/paths.js';

/**
 * The line a test run ends with when Docker is missing: run as a newcomer runs `npm test` (a real
 * vitest, on one file whose last test needs Docker), with no Docker engine at DOCKER_HOST.
 */

const ONE_DOCKER_FILE = 'test/supervisor/kill-switch.test.ts';
const RUN_TIMEOUT_MS = 5 * 60_000;

function runVitest(extra: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  const env = newcomerEnv({ DOCKER_HOST: NO_DOCKER_HOST, NO_COLOR: '1' });
  // Whatever this run was started with, the inner run requires only what `extra` says.
  delete env['CLAWDBOT_REQUIRE_DOCKER'];
  delete env['CLAWDBOT_REQUIRE_BROWSER'];
  return runToEnd(process.execPath, ['node_modules/vitest/vitest.mjs', 'run', ONE_DOCKER_FILE], {
    cwd: repoRoot,
    env: { ...env, ...extra },
    timeoutMs: RUN_TIMEOUT_MS,
  });
}

describe('a test run without Docker', () => {
  it(
    'passes, and its last line says how many tests skipped, why, and how to run them',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const run = await runVitest({});
      expect(run.code, run.output).toBe(0);
      const lastLine = run.output.trimEnd().split('\n').at(-1);
      expect(lastLine).toBe(
        `Skipped 1 test that needs Docker (not reachable at ${NO_DOCKER_HOST.replace('unix://', '')}: ENOENT): install Docker and Chromium as the README's Tests section says (Debian: sudo apt-get install docker.io chromium debootstrap), or set CLAWDBOT_REQUIRE_DOCKER=1 CLAWDBOT_REQUIRE_BROWSER=1 to make them fail instead.`,
      );
    },
  );

  it(
    'fails instead under CLAWDBOT_REQUIRE_DOCKER=1, as CI runs it',
    { timeout: RUN_TIMEOUT_MS },
    async () => {
      const run = await runVitest({ CLAWDBOT_REQUIRE_DOCKER: '1' });
      expect(run.code).not.toBe(0);
      expect(run.output).toContain('CLAWDBOT_REQUIRE_DOCKER=1 but Docker is not reachable');
      expect(run.output).not.toContain('Skipped 1 test');
    },
  );
});
