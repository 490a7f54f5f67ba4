import { existsSync } from 'node:fs';
import { findExecutable } from '../../process/find-executable.js';
import { defineCheck } from '../doctor-context.js';

/** Where the tests look for Debian's Chromium (test/helpers/browser.ts). */
const TEST_CHROMIUM = '/usr/bin/chromium';

/** Chromium, which the web UI's end-to-end tests drive; informational, Clawdbot does not need it. */
export const checkChromium = defineCheck(
  'browser.chromium',
  'Chromium (for the tests)',
  (context, _facts, o) => {
    if (existsSync(TEST_CHROMIUM)) {
      return o.ok(`${TEST_CHROMIUM}: the web UI tests run in it`);
    }
    const other = ['chromium', 'chromium-browser', 'google-chrome']
      .map((name) => findExecutable(name, context.env))
      .find((path) => path !== null);
    return o.info(
      `${TEST_CHROMIUM} is missing${other ? ` (${other} is not where the tests look)` : ''}: the web UI tests skip`,
      'only for running the tests: `sudo apt-get install chromium`',
    );
  },
);
