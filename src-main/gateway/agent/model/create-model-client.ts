import {
  DEFAULT_API_KEY_ENV,
  type ModelConfig,
} from '../../../../src-shared/config/agent-schema.js';
import { createAnthropicClient } from './anthropic-client.js';
import type { ModelClient, ProviderClientOptions } from './model-types.js';
import { createOpenAiClient } from './openai-client.js';

/** Where a model client finds its key. */
export interface ModelClientEnvironment {
  /** The gateway's environment; the key is read from `config.apiKeyEnv` or the default name. */
  env: Record<string, string | undefined>;
  /** A key from elsewhere (the desktop app's keychain via safeStorage); wins over `env`. */
  apiKey?: string;
}

/**
 * The client for the configured model. Never throws and never calls the network: a missing
 * key surfaces on the first call as a `ModelError('auth')` naming the variable to set, so the
 * sender is told rather than the gateway failing to start.
 */
export function createModelClient(
  config: ModelConfig,
  options: ModelClientEnvironment,
): ModelClient {
  const keyEnv = config.apiKeyEnv ?? DEFAULT_API_KEY_ENV[config.provider];
  const provider: ProviderClientOptions = {
    model: config.name,
    ...(config.baseUrl !== undefined && { baseUrl: config.baseUrl }),
    keyEnv,
    timeoutSec: config.timeoutSec,
  };
  // An empty or blank variable is as good as unset (a `KEY=` line in a service file).
  const apiKey = [options.apiKey, options.env[keyEnv]].map((k) => k?.trim()).find((k) => !!k);
  if (apiKey !== undefined) provider.apiKey = apiKey;
  switch (config.provider) {
    case 'anthropic':
      return createAnthropicClient(provider);
    case 'openai':
      return createOpenAiClient(provider);
  }
}
