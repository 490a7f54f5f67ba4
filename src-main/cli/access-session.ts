import { createAccessStore, type AccessStore } from '../access/access-store.js';
import { importLegacyStores } from '../access/legacy-import.js';
import { resolveConfigPath } from '../config/config-path.js';
import type { ConfigState } from '../config/config-watcher.js';
import { loadConfigSync } from '../config/load-config.js';
import { defaultConfig } from '../../src-shared/config/schema.js';
import { withCliStore, type CliStore } from './open-store.js';

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
 * The config file as the CLI sees it. An invalid file means the safe defaults here (a running
 * gateway keeps its last good config, which this process cannot know), with the errors kept.
 */
export function loadCliConfig(stateDir: string): ConfigState {
  const path = resolveConfigPath(stateDir);
  const result = loadConfigSync(path);
  return result.ok
    ? { config: result.config, path, errors: null }
    : { config: defaultConfig, path, errors: result.errors };
}
