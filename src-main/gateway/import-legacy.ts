import { importLegacyStores } from '../access/legacy-import.js';
import type { AccessStore } from '../access/access-store.js';
import type { Logger } from '../logging/logger.js';

/** Imports the reference implementation's JSON stores, once, logging what it did. */
export function importLegacy(store: AccessStore, stateDir: string, at: number, log: Logger): void {
  const imported = importLegacyStores(store, stateDir, at);
  for (const file of imported.imported) log.info('imported legacy store', file);
  for (const error of imported.errors) log.warn('legacy store not imported', { error });
}
