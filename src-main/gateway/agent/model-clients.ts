import { DEFAULT_API_KEY_ENV, type ModelConfig } from '../../../src-shared/config/agent-schema.js';
import type { AgentServiceOptions } from './agent-service-options.js';
import { createModelClient } from './model/create-model-client.js';
import type { ModelClient } from './model/model-types.js';

/** The model client for the model config and key in force, built again when either changes. */
export class ModelClients {
  private model: { key: string; client: ModelClient } | null = null;

  constructor(
    private readonly options: Pick<AgentServiceOptions, 'env' | 'modelKey' | 'modelFactory'>,
  ) {}

  client(config: ModelConfig): ModelClient {
    // The environment wins; the keychain's key is the fallback the desktop app offers.
    const apiKey = this.options.env[config.apiKeyEnv ?? DEFAULT_API_KEY_ENV[config.provider]]
      ? undefined
      : this.options.modelKey?.current();
    // A new key (saved or cleared in the UI while running) means a new client.
    const key = JSON.stringify([config, apiKey ?? null]);
    if (this.model?.key !== key) {
      const client = this.options.modelFactory
        ? this.options.modelFactory(config)
        : createModelClient(config, { env: this.options.env, apiKey });
      this.model = { key, client };
    }
    return this.model.client;
  }
}
