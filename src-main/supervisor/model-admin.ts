import { DEFAULT_API_KEY_ENV } from '../../src-shared/config/agent-schema.js';
import { AppError } from '../../src-shared/domain/app-error.js';
import type { ModelStatus } from '../../src-shared/domain/model-status.js';
import type { Config } from '../../src-shared/config/schema.js';

/** The environment variable that carries a keychain-stored key to the gateway process. */
export const KEYCHAIN_KEY_ENV = 'CLAWDBOT_MODEL_API_KEY';

/**
 * A place to keep the model's API key outside the config file: the desktop app's
 * `safeStorage` (OS keychain). Headless mode has none; keys come from the environment there.
 */
export interface ModelKeyStore {
  load(): string | null;
  save(key: string): void;
  clear(): void;
  /** Linux's `basic_text` backend only obfuscates: the UI warns about it. */
  plaintext(): boolean;
}

/**
 * The model as the UI sees it: which one is configured and where its key comes from, never
 * the key. Saving a key puts it in the gateway's environment for its next start.
 */
export class ModelAdmin {
  constructor(
    /** The config in force (the last good one when the file is rejected). */
    private readonly config: () => Config,
    /** The environment gateways are started with (shared with the gateway manager). */
    private readonly gatewayEnv: NodeJS.ProcessEnv,
    private readonly store: ModelKeyStore | null,
  ) {
    const stored = store?.load();
    if (stored) gatewayEnv[KEYCHAIN_KEY_ENV] = stored;
  }

  status(): ModelStatus {
    const model = this.config().agent.model ?? null;
    const keyEnv = model ? (model.apiKeyEnv ?? DEFAULT_API_KEY_ENV[model.provider]) : '';
    const stored = Boolean(this.gatewayEnv[KEYCHAIN_KEY_ENV]);
    return {
      model: model
        ? { provider: model.provider, name: model.name, baseUrl: model.baseUrl ?? null, keyEnv }
        : null,
      keySource: model && this.gatewayEnv[keyEnv] ? 'env' : stored ? 'keychain' : 'none',
      keyOptional: Boolean(model?.baseUrl),
      keychain: {
        available: this.store !== null,
        plaintext: this.store?.plaintext() ?? false,
        stored,
      },
    };
  }

  saveKey(key: string): ModelStatus {
    if (!this.store) {
      throw new AppError(
        'UNAVAILABLE',
        'storing a key needs the desktop app (OS keychain); set the key in the environment instead',
      );
    }
    this.store.save(key);
    this.gatewayEnv[KEYCHAIN_KEY_ENV] = key;
    return this.status();
  }

  clearKey(): ModelStatus {
    this.store?.clear();
    delete this.gatewayEnv[KEYCHAIN_KEY_ENV];
    return this.status();
  }
}
