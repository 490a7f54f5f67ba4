import { createLastGoodConfigRepo } from '../store/config-repo.js';
import { openDatabase } from '../store/open-database.js';
import { ConfigService } from './config-service.js';
import { resolveConfigPath } from '../state-layout.js';

/**
 * The process's one ConfigService, watching the config file and keeping the last good config in
 * the state directory's database. For long-running processes (gateway, supervisor): its database
 * connection lives as long as the process. Created before logging, so a config that is broken at
 * start still sends the logs where the last good config says.
 */
export function openConfigService(
  stateDir: string,
  env: NodeJS.ProcessEnv = process.env,
): ConfigService {
  const store = createLastGoodConfigRepo(openDatabase(stateDir));
  return new ConfigService(resolveConfigPath(stateDir, env), { store }).start();
}
