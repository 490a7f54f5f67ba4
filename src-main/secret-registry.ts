import { existsSync } from 'node:fs';
import { DEFAULT_API_KEY_ENV, type ModelProvider } from '../src-shared/config/agent-schema.js';
import type { Config } from '../src-shared/config/schema.js';
import type { IncidentSecret, IncidentSecretId } from '../src-shared/domain/incident.js';
import type { ModelStatus } from '../src-shared/domain/model-status.js';
import {
  credentialsDir,
  resolveTokenPath,
  telegramTokenKeychainFile,
  whatsappAuthDir,
} from './state-layout.js';

/**
 * The registry of the secrets Clawdbot holds: what each is called, where it can live, and how to
 * rotate it. The redactor hides the values found where they live, the host tools' environment
 * drops the variables named here, the incident page lists them with how to rotate them, and the
 * audit checks the files that hold them; a new secret is added here once.
 */

/** One kind of secret. */
export interface SecretEntry {
  id: IncidentSecretId;
  /** What the owner calls it. */
  name: string;
  /** Environment variables that hold it whatever the config says. */
  envVars: readonly string[];
  /** The config key that holds it written inline (which the audit flags), if it can be. */
  configKey: string | null;
  /** How to replace it, step by step. */
  rotate: string;
  /** Where to do it, when there is one page for it. */
  url: string | null;
}

/** Every secret, by id. */
export const SECRETS = {
  'telegram-token': {
    id: 'telegram-token',
    name: 'Telegram bot token',
    envVars: ['TELEGRAM_BOT_TOKEN'],
    configKey: 'telegram.botToken',
    rotate:
      'In Telegram, message @BotFather: send /revoke and pick the bot. Put the new token where the old one was, then restart the gateway.',
    url: 'https://t.me/BotFather',
  },
  'model-key': {
    id: 'model-key',
    name: 'Model API key',
    // agent.model.apiKeyEnv may name another variable: see secretEnvNames.
    envVars: Object.values(DEFAULT_API_KEY_ENV),
    configKey: null,
    rotate:
      'Delete the key in the provider’s key console, create a new one, and put it where the old one was (environment or the desktop app’s Model card). Restart the gateway.',
    url: null,
  },
  'whatsapp-link': {
    id: 'whatsapp-link',
    name: 'WhatsApp linked device',
    envVars: [],
    configKey: null,
    rotate:
      'On your phone: WhatsApp → Settings → Linked devices → this device → Log out. Then run `clawdbot whatsapp login` and scan the new QR code.',
    url: null,
  },
  'web-token': {
    id: 'web-token',
    name: 'Web UI token',
    envVars: ['CLAWDBOT_WEB_TOKEN'],
    configKey: null,
    rotate:
      'Stop `clawdbot supervise --web` and start it again: each start makes a new token and the old URL stops working. Close tabs that still hold the old one.',
    url: null,
  },
} as const satisfies Record<IncidentSecretId, SecretEntry>;

/** Each model provider's key console, where a key is revoked and a new one made. */
const KEY_CONSOLES: Record<ModelProvider, string> = {
  anthropic: 'https://console.anthropic.com/settings/keys',
  openai: 'https://platform.openai.com/api-keys',
};

/** How to rotate a key of a server `agent.model.baseUrl` points at (not a provider's own). */
const CUSTOM_SERVER_ROTATE =
  'Revoke the key on the server agent.model.baseUrl points at, create a new one, and put it where the old one was.';

/**
 * Every environment variable that holds a secret: the registry's, and the one
 * `agent.model.apiKeyEnv` names (when the config names one).
 */
export function secretEnvNames(apiKeyEnv?: string | null): string[] {
  const names = new Set<string>(Object.values(SECRETS).flatMap((secret) => secret.envVars));
  if (apiKeyEnv) names.add(apiKeyEnv);
  return [...names];
}

/**
 * The files and directories that hold secrets: the file `telegram.tokenFile` names, and
 * `credentials/` (the linked WhatsApp device, the keychain-encrypted model key and bot token).
 */
export function secretFiles(
  stateDir: string,
  config: Config | null,
): { tokenFile: string | null; credentialsDir: string } {
  const tokenFile = config?.telegram.tokenFile;
  return {
    tokenFile: tokenFile ? resolveTokenPath(tokenFile, stateDir) : null,
    credentialsDir: credentialsDir(stateDir),
  };
}

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

const present = (value: string | undefined): boolean => Boolean(value?.trim());

function entry(id: IncidentSecretId, location: string): ConfiguredSecret {
  const { name, rotate, url } = SECRETS[id];
  return { id, name, location, rotate, url };
}

function telegram(sources: SecretSources): ConfiguredSecret | null {
  const where: string[] = [];
  const config = sources.config?.telegram;
  const secret = SECRETS['telegram-token'];
  if (config?.botToken) where.push(`${secret.configKey} in ${sources.configPath}`);
  const { tokenFile } = secretFiles(sources.stateDir, sources.config);
  if (tokenFile) where.push(`the file ${tokenFile} (telegram.tokenFile)`);
  const keychain = telegramTokenKeychainFile(sources.stateDir);
  if (existsSync(keychain)) where.push(`the OS keychain (saved in the setup, ${keychain})`);
  for (const name of secret.envVars)
    if (present(sources.env[name])) where.push(`the ${name} environment variable`);
  return where.length === 0 ? null : entry(secret.id, where.join('; '));
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
  const secret = SECRETS['model-key'];
  return {
    ...entry(secret.id, location),
    name: `${secret.name} (${provider === 'anthropic' ? 'Anthropic' : 'OpenAI'}${custom ? '-compatible server' : ''})`,
    rotate: custom ? CUSTOM_SERVER_ROTATE : secret.rotate,
    // The base URL is not shown: it may carry credentials of its own.
    url: custom ? null : KEY_CONSOLES[provider],
  };
}

function whatsapp({ stateDir }: SecretSources): ConfiguredSecret | null {
  const dir = whatsappAuthDir(stateDir);
  if (!existsSync(dir)) return null;
  return entry('whatsapp-link', `the credentials directory ${dir}`);
}

function webToken({ webMode }: SecretSources): ConfiguredSecret | null {
  if (!webMode) return null;
  return entry(
    'web-token',
    'the URL printed by `clawdbot supervise --web` (held in memory, never written to disk)',
  );
}

/** Every configured secret, by name and location only: no value, no prefix, no length. */
export function configuredSecrets(sources: SecretSources): ConfiguredSecret[] {
  return [telegram(sources), modelKey(sources), whatsapp(sources), webToken(sources)].filter(
    (secret): secret is ConfiguredSecret => secret !== null,
  );
}
