import { createAccessStore, type AccessStore } from '../access/access-store.js';
import { importLegacyStores } from '../access/legacy-import.js';
import type { CliContext } from './cli-context.js';
import { withCliStore, type CliStore } from './open-store.js';

/** What an access command works with: the shared database's repositories. */
export interface CliAccess extends CliStore {
  access: AccessStore;
}

/**
 * Runs `fn` over the access store. The reference implementation's JSON stores are imported
 * first, so approving from the CLI before the gateway ever started still sees legacy requests.
 */
export function withCliAccess<T>(
  context: CliContext,
  fn: (cli: CliAccess) => T | Promise<T>,
): Promise<T> {
  return withCliStore(context, (store) => {
    const access = createAccessStore(store.db);
    const report = importLegacyStores(access, store.stateDir);
    for (const error of report.errors)
      process.stderr.write(`clawdbot: warning: legacy store not imported: ${error}\n`);
    return fn({ ...store, access });
  });
}
