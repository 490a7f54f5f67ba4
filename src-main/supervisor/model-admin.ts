import { DEFAULT_API_KEY_ENV } from '../../src-shared/config/agent-schema.js';
import type { ModelStatus } from '../../src-shared/domain/model-status.js';
import type { Config } from '../../src-shared/config/schema.js';
import { KeychainSlot, type KeychainStore } from './keychain-store.js';

/** Where the desktop app keeps the model's API key: the OS keychain. */
export type ModelKeyStore = KeychainStore;

/**
 * The model as the UI sees it: which one is configured and where its key comes from, never
 * the key. A key from the keychain is handed to the gateway over its IPC channel (see
 * `onKeyChange`), never put in its environment, and is a secret of this process from the moment
 * it is known: no log line or event carries it.
 */
export class ModelAdmin {
  private readonly key: KeychainSlot;

  constructor(
    /** The config in force (the last good one when the file is rejected). */
    private readonly config: () => Config,
    /** The environment gateways are started with (where an env key would be). */
    private readonly gatewayEnv: NodeJS.ProcessEnv,
    store: ModelKeyStore | null,
    /** Called when the owner saves or clears the key, to hand it to a running gateway. */
    onKeyChange: () => void = () => undefined,
  ) {
    this.key = new KeychainSlot(
      store,
      'storing a key needs the desktop app (OS keychain); set the key in the environment instead',
      onKeyChange,
    );
  }

  /** The keychain's key, for the gateway's IPC channel only; null when none is stored. */
  keychainKey(): string | null {
    return this.key.current();
  }

  status(): ModelStatus {
    const model = this.config().agent.model ?? null;
    const keyEnv = model ? (model.apiKeyEnv ?? DEFAULT_API_KEY_ENV[model.provider]) : '';
    const stored = this.key.current() !== null;
    return {
      model: model
        ? { provider: model.provider, name: model.name, baseUrl: model.baseUrl ?? null, keyEnv }
        : null,
      keySource: model && this.gatewayEnv[keyEnv] ? 'env' : stored ? 'keychain' : 'none',
      keyOptional: Boolean(model?.baseUrl),
      keychain: {
        available: this.key.available(),
        plaintext: this.key.plaintext(),
        stored,
      },
    };
  }

  saveKey(key: string): ModelStatus {
    this.key.save(key);
    return this.status();
  }

  clearKey(): ModelStatus {
    this.key.clear();
    return this.status();
  }
}
