import { readFile } from 'node:fs/promises';
import type { TelegramConfig } from '../../../../src-shared/config/schema.js';
import { resolveTokenPath } from '../../../state-layout.js';

/** Why the Telegram provider stays off when no token is configured anywhere. */
export const NO_TOKEN_REASON =
  'no Telegram bot token configured (telegram.botToken, telegram.tokenFile, the keychain or TELEGRAM_BOT_TOKEN)';

/** Why the Telegram provider stays off when the owner switched it off. */
export const DISABLED_REASON = 'telegram.enabled is false';

/**
 * Where the bot token comes from, in order of precedence: the config's `botToken`, the file named
 * by `tokenFile`, the desktop app's keychain (handed over by the supervisor), then
 * `TELEGRAM_BOT_TOKEN`. Decided without touching the disk, so the factory
 * can say "disabled" cheaply; the file itself is read when the provider starts.
 */
export type TokenSource =
  | { kind: 'inline'; token: string }
  | { kind: 'file'; path: string }
  | { kind: 'keychain'; token: string }
  | { kind: 'env'; token: string };

/**
 * Picks the token source, or says why the provider stays disabled. A configured `tokenFile`
 * wins over the environment even when it turns out unreadable: the owner named that file, so a
 * silent fallback to another bot's token would be a surprise.
 */
export function telegramTokenSource(
  config: TelegramConfig,
  stateDir: string,
  env: NodeJS.ProcessEnv = process.env,
  keychainToken?: string | null,
): TokenSource | { disabled: string } {
  if (!config.enabled) return { disabled: DISABLED_REASON };
  if (config.botToken) return { kind: 'inline', token: config.botToken };
  if (config.tokenFile) return { kind: 'file', path: resolveTokenPath(config.tokenFile, stateDir) };
  if (keychainToken) return { kind: 'keychain', token: keychainToken };
  const fromEnv = env['TELEGRAM_BOT_TOKEN']?.trim();
  if (fromEnv) return { kind: 'env', token: fromEnv };
  return { disabled: NO_TOKEN_REASON };
}

/** Reads the token from its source; `error` names the file and why it could not be used. */
export async function loadTelegramToken(
  source: TokenSource,
): Promise<{ token: string } | { error: string }> {
  if (source.kind !== 'file') return { token: source.token };
  let text: string;
  try {
    text = await readFile(source.path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : (code ?? 'unreadable');
    return { error: `cannot read telegram.tokenFile ${source.path} (${why})` };
  }
  const token = text.trim();
  if (!token) return { error: `telegram.tokenFile ${source.path} is empty` };
  // A token is one line; anything else (a pasted config, two tokens) would end up in the URL.
  if (/\s/.test(token)) {
    return { error: `telegram.tokenFile ${source.path} must hold only the bot token` };
  }
  return { token };
}
