import { readFileSync } from 'node:fs';

/**
 * Test-only: names a file holding the current time (ISO 8601). It is read on every look at the
 * clock, so a test can move midnight under a running process (a following `logs`, a gateway
 * counting daily budgets) without waiting for it.
 */
export const CLOCK_FILE_ENV = 'CLAWDBOT_TEST_CLOCK_FILE';

/** The clock of a process: the system's, or the time in the test clock file when one is named. */
export function envClock(env: NodeJS.ProcessEnv): () => number {
  const file = env[CLOCK_FILE_ENV];
  if (!file) return Date.now;
  let last = Date.now();
  return () => {
    const at = Date.parse(readFileSync(file, 'utf8').trim());
    // A file caught half-written (truncated, not yet filled) keeps the time it said last.
    if (!Number.isNaN(at)) last = at;
    return last;
  };
}
