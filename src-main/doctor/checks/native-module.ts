import BetterSqlite3 from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { describeError } from '../../../src-shared/errors/describe-error.js';
import { defineCheck } from '../doctor-context.js';

/**
 * better-sqlite3, the one native module, loads in this runtime: a Node upgraded after
 * `npm install` (or a copy built for Electron's ABI in its place) fails here with
 * NODE_MODULE_VERSION, and every command that opens the database fails with it.
 */
export const checkNativeModule = defineCheck(
  'native.node',
  'Native module (better-sqlite3)',
  (_context, _facts, o) => {
    const runtime = process.versions['electron']
      ? `Electron ${process.versions['electron']}`
      : `Node ${process.versions.node}`;
    const binding = process.env['CLAWDBOT_SQLITE_BINDING'];
    try {
      new BetterSqlite3(
        ':memory:',
        binding && existsSync(binding) ? { nativeBinding: binding } : {},
      )
        .prepare('SELECT 1')
        .get();
    } catch (error) {
      const reason = describeError(error).split('\n')[0] ?? '';
      return o.error(
        `does not load in ${runtime} (ABI ${process.versions.modules}): ${reason}`,
        'run `npm rebuild better-sqlite3` in the Clawdbot checkout (with the Node that runs Clawdbot)',
      );
    }
    return o.ok(`loads in ${runtime} (ABI ${process.versions.modules})`);
  },
);
