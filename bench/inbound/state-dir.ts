import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigInput } from '../../src-shared/config/schema.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { resolveConfigPath } from '../../src-main/state-layout.js';
import type { TempDirs } from '../lib/temp-dirs.js';
import { senderIds } from './context.js';
import type { BotRoot } from './fake-api.js';

/**
 * A fresh state dir (migrated database, config file) whose config points the Telegram provider at
 * one of the fake server's bots and allows the bench's senders (`dmPolicy: "allowlist"`).
 */
export function createStateDir(
  tempDirs: TempDirs,
  bot: BotRoot,
): { stateDir: string; configPath: string } {
  const stateDir = join(tempDirs.make('clawdbot-bench-inbound-'), 'state');
  const configPath = resolveConfigPath(stateDir, {});
  const config: ConfigInput = {
    telegram: {
      botToken: bot.token,
      apiRoot: bot.apiRoot,
      dmPolicy: 'allowlist',
      allowFrom: senderIds.map(String),
    },
  };
  openDatabase(stateDir).close();
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  return { stateDir, configPath };
}
