import { DEFAULT_API_KEY_ENV } from '../../src-shared/config/agent-schema.js';
import { AppError } from '../../src-shared/domain/app-error.js';
import type { ModelStatus } from '../../src-shared/domain/model-status.js';
import type { Config } from '../../src-shared/config/schema.js';
import { addProcessSecrets } from '../logging/redact.js';

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
 * the key. A key from the keychain is handed to the gateway over its IPC channel (see
 * `onKeyChange`), never put in its environment, and is a secret of this process from the moment
 * it is known: no log line or event carries it.
 */
export class ModelAdmin {
  private stored: string | null;

  constructor(
    /** The config in force (the last good one when the file is rejected). */
    private readonly config: () => Config,
    /** The environment gateways are started with (where an env key would be). */
    private readonly gatewayEnv: NodeJS.ProcessEnv,
    private readonly store: ModelKeyStore | null,
    /** Called when the owner saves or clears the key, to hand it to a running gateway. */
    private readonly onKeyChange: () => void = () => undefined,
  ) {
    this.stored = store?.load() || null;
    if (this.stored) addProcessSecrets([this.stored]);
  }

  /** The keychain's key, for the gateway's IPC channel only; null when none is stored. */
  keychainKey(): string | null {
    return this.stored;
  }

  status(): ModelStatus {
    const model = this.config().agent.model ?? null;
    const keyEnv = model ? (model.apiKeyEnv ?? DEFAULT_API_KEY_ENV[model.provider]) : '';
    const stored = this.stored !== null;
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
    addProcessSecrets([key]);
    this.store.save(key);
    this.stored = key;
    this.onKeyChange();
    return this.status();
  }

  clearKey(): ModelStatus {
    this.store?.clear();
    this.stored = null;
    this.onKeyChange();
    return this.status();
  }
}
