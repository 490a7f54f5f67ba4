import { existsSync } from 'node:fs';
import { DEFAULT_API_KEY_ENV } from '../../src-shared/config/agent-schema.js';
import type { Config } from '../../src-shared/config/schema.js';
import type { IncidentSecret } from '../../src-shared/domain/incident.js';
import type { ModelStatus } from '../../src-shared/domain/model-status.js';
import { whatsappAuthDir, resolveTokenPath } from '../state-layout.js';

/** A checklist entry before the owner's tick is joined in. */
export type ConfiguredSecret = Omit<IncidentSecret, 'checkedAt'>;

/** What the checklist is worked out from; none of it is ever copied into the result but names. */
export interface SecretSources {
  stateDir: string;
  configPath: string;
  /** Null when the config file is invalid: only what the environment holds is listed then. */
  config: Config | null;
  env: NodeJS.ProcessEnv;
  model: ModelStatus;
  /** This supervisor serves the web UI, so a web token exists. */
  webMode: boolean;
}

const KEY_CONSOLES = {
  anthropic: 'https://console.anthropic.com/settings/keys',
  openai: 'https://platform.openai.com/api-keys',
} as const;

const present = (value: string | undefined): boolean => Boolean(value?.trim());

function telegram(sources: SecretSources): ConfiguredSecret | null {
  const where: string[] = [];
  const config = sources.config?.telegram;
  if (config?.botToken) where.push(`telegram.botToken in ${sources.configPath}`);
  if (config?.tokenFile)
    where.push(
      `the file ${resolveTokenPath(config.tokenFile, sources.stateDir)} (telegram.tokenFile)`,
    );
  if (present(sources.env['TELEGRAM_BOT_TOKEN']))
    where.push('the TELEGRAM_BOT_TOKEN environment variable');
  if (where.length === 0) return null;
  return {
    id: 'telegram-token',
    name: 'Telegram bot token',
    location: where.join('; '),
    rotate:
      'In Telegram, message @BotFather: send /revoke and pick the bot. Put the new token where the old one was, then restart the gateway.',
    url: 'https://t.me/BotFather',
  };
}

function modelKey({ model, env }: SecretSources): ConfiguredSecret | null {
  // With no model configured, a key in the environment still reaches the gateway.
  const provider =
    model.model?.provider ??
    (present(env[DEFAULT_API_KEY_ENV.anthropic])
      ? 'anthropic'
      : present(env[DEFAULT_API_KEY_ENV.openai])
        ? 'openai'
        : null);
  if (!provider) return null;
  let location: string;
  if (model.model && model.keySource === 'keychain')
    location = 'the OS keychain (saved from the desktop app)';
  else if (model.model && model.keySource === 'env')
    location = `the ${model.model.keyEnv} environment variable`;
  else if (!model.model) location = `the ${DEFAULT_API_KEY_ENV[provider]} environment variable`;
  else return null;
  const custom = model.model?.baseUrl !== null && model.model?.baseUrl !== undefined;
  return {
    id: 'model-key',
    name: `Model API key (${provider === 'anthropic' ? 'Anthropic' : 'OpenAI'}${custom ? '-compatible server' : ''})`,
    location,
    rotate: custom
      ? 'Revoke the key on the server agent.model.baseUrl points at, create a new one, and put it where the old one was.'
      : 'Delete the key in the provider’s key console, create a new one, and put it where the old one was (environment or the desktop app’s Model card). Restart the gateway.',
    // The base URL is not shown: it may carry credentials of its own.
    url: custom ? null : KEY_CONSOLES[provider],
  };
}

function whatsapp({ stateDir }: SecretSources): ConfiguredSecret | null {
  const dir = whatsappAuthDir(stateDir);
  if (!existsSync(dir)) return null;
  return {
    id: 'whatsapp-link',
    name: 'WhatsApp linked device',
    location: `the credentials directory ${dir}`,
    rotate:
      'On your phone: WhatsApp → Settings → Linked devices → this device → Log out. Then run `clawdbot whatsapp login` and scan the new QR code.',
    url: null,
  };
}

function webToken({ webMode }: SecretSources): ConfiguredSecret | null {
  if (!webMode) return null;
  return {
    id: 'web-token',
    name: 'Web UI token',
    location:
      'the URL printed by `clawdbot supervise --web` (held in memory, never written to disk)',
    rotate:
      'Stop `clawdbot supervise --web` and start it again: each start makes a new token and the old URL stops working. Close tabs that still hold the old one.',
    url: null,
  };
}

/** Every configured secret, by name and location only: no value, no prefix, no length. */
export function configuredSecrets(sources: SecretSources): ConfiguredSecret[] {
  return [telegram(sources), modelKey(sources), whatsapp(sources), webToken(sources)].filter(
    (secret): secret is ConfiguredSecret => secret !== null,
  );
}
