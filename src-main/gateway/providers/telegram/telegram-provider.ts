import type { ProviderFactory } from '../provider-runtime.js';
import { TelegramRuntime, type TelegramTuning } from './telegram-runtime.js';
import { telegramTokenSource } from './token.js';

/**
 * Builds Telegram provider factories with non-default timings; tests and benches use it to
 * shorten backoffs. The gateway registers `createTelegramProvider`.
 */
export function telegramProviderFactory(
  tuning: TelegramTuning & { env?: NodeJS.ProcessEnv } = {},
): ProviderFactory {
  return (config, host) => {
    const source = telegramTokenSource(
      config.telegram,
      host.stateDir,
      tuning.env,
      host.keychainToken?.(),
    );
    if ('disabled' in source) return source;
    return new TelegramRuntime({ ...tuning, telegram: config.telegram, source, host });
  };
}

/**
 * The Telegram provider: on when a token is configured (`telegram.botToken`,
 * `telegram.tokenFile`, the desktop app's keychain or `TELEGRAM_BOT_TOKEN`) and `telegram.enabled` is not false.
 */
export const createTelegramProvider: ProviderFactory = telegramProviderFactory();
