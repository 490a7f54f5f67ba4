import { join } from 'node:path';

/** The config file: `$CLAWDBOT_CONFIG_PATH`, else `clawdbot.json` in the state directory. */
export function resolveConfigPath(stateDir: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env['CLAWDBOT_CONFIG_PATH'];
  return fromEnv && fromEnv.trim() !== '' ? fromEnv : join(stateDir, 'clawdbot.json');
}
