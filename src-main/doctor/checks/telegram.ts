import { classifyTelegramError } from '../../gateway/providers/telegram/telegram-errors.js';
import {
  DISABLED_REASON,
  loadTelegramToken,
  telegramTokenSource,
  type TokenSource,
} from '../../gateway/providers/telegram/token.js';
import { defineCheck } from '../doctor-context.js';

/** How long getMe may take before the Bot API counts as not answering. */
const GET_ME_TIMEOUT_SECONDS = 10;

function where(source: TokenSource): string {
  switch (source.kind) {
    case 'inline':
      return 'telegram.botToken in the config';
    case 'file':
      return source.path;
    case 'keychain':
      return 'the OS keychain (saved in the setup)';
    case 'env':
      return 'TELEGRAM_BOT_TOKEN';
    default: {
      const unreachable: never = source;
      throw new Error(`unknown token source ${JSON.stringify(unreachable)}`);
    }
  }
}

/** The bot token, asked of the Bot API with one `getMe` (at `telegram.apiRoot` when set). */
export const checkTelegram = defineCheck('telegram', 'Telegram', async (context, facts, o) => {
  const config = facts.config.config.telegram;
  const source = telegramTokenSource(
    config,
    context.stateDir,
    context.env,
    context.keychainTelegramToken,
  );
  if ('disabled' in source) {
    if (source.disabled === DISABLED_REASON) return o.info('off: telegram.enabled is false');
    return o.info(
      'not set up: no bot token (telegram.tokenFile, TELEGRAM_BOT_TOKEN or telegram.botToken)',
      'to use Telegram: create a bot with @BotFather and put its token in a file named by telegram.tokenFile (chmod 600), or in TELEGRAM_BOT_TOKEN',
    );
  }
  const loaded = await loadTelegramToken(source);
  if ('error' in loaded) {
    return o.error(
      loaded.error,
      'put only the bot token in that file (chmod 600), or correct telegram.tokenFile',
    );
  }
  const { Api } = await import('grammy');
  const api = new Api(loaded.token, {
    ...(config.apiRoot !== undefined && { apiRoot: config.apiRoot }),
    timeoutSeconds: GET_ME_TIMEOUT_SECONDS,
  });
  try {
    const me = await api.getMe();
    return o.ok(`@${me.username} (bot id ${me.id}); token from ${where(source)}`);
  } catch (error) {
    const failure = classifyTelegramError(error, loaded.token);
    if (failure.fatal) {
      return o.error(
        `${failure.reason}; token from ${where(source)}`,
        `get the bot's current token from @BotFather (/token; /revoke makes a new one) and put it in ${where(source)}${config.apiRoot ? `, and check telegram.apiRoot (${config.apiRoot})` : ''}`,
      );
    }
    return o.warning(
      `the Bot API did not answer getMe: ${failure.reason}`,
      config.apiRoot
        ? `make sure telegram.apiRoot (${config.apiRoot}) is up and reachable from here`
        : 'make sure api.telegram.org is reachable from here (network, proxy, firewall)',
    );
  }
});
