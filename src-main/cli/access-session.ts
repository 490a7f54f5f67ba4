import { createAccessStore, type AccessStore } from '../access/access-store.js';
import { importLegacyStores } from '../access/legacy-import.js';
import type { Database } from 'better-sqlite3';
import { ConfigService, type ConfigState } from '../config/config-service.js';
import { createLastGoodConfigRepo } from '../store/config-repo.js';
import { withCliStore, type CliStore } from './open-store.js';
import { resolveConfigPath } from '../state-layout.js';

/** What an access command works with: the shared database's repositories. */
export interface CliAccess extends CliStore {
  access: AccessStore;
}

/**
 * Runs `fn` over the access store. The reference implementation's JSON stores are imported
 * first, so approving from the CLI before the gateway ever started still sees legacy requests.
 */
export function withCliAccess<T>(fn: (cli: CliAccess) => T | Promise<T>): Promise<T> {
  return withCliStore((store) => {
    const access = createAccessStore(store.db);
    const report = importLegacyStores(access, store.stateDir);
    for (const error of report.errors)
      process.stderr.write(`clawdbot: warning: legacy store not imported: ${error}\n`);
    return fn({ ...store, access });
  });
}

/**
 * The config as the CLI sees it: the file, or (when it is invalid) the last good config saved in
 * the database — what a gateway starting now would run on — with the file's errors kept.
 */
export function loadCliConfig(stateDir: string, db: Database): ConfigState {
  return new ConfigService(resolveConfigPath(stateDir), {
    store: createLastGoodConfigRepo(db),
  }).current();
}
