import { DEFAULT_API_KEY_ENV, type ModelConfig } from '../../../src-shared/config/agent-schema.js';
import type { ModelErrorKind } from '../../gateway/agent/model/model-types.js';
import { defineCheck } from '../doctor-context.js';

/** The one request's deadline: a model that takes longer to say one word is not healthy. */
const PROBE_TIMEOUT_SEC = 30;

/** What to do when the one request fails, by how it failed. */
function fixFor(kind: ModelErrorKind, model: ModelConfig, keyEnv: string): string {
  switch (kind) {
    case 'auth':
      return `put a valid key in ${keyEnv} where Clawdbot runs (or store it in the desktop app's Model card)`;
    case 'unreachable':
    case 'timeout':
      return model.baseUrl
        ? `make sure the server at agent.model.baseUrl (${model.baseUrl}) runs and is reachable from here`
        : `make sure the ${model.provider} API is reachable from here (network, proxy, firewall)`;
    case 'bad-request':
      return `check agent.model.name (${model.name}): the server must know that model`;
    case 'rate-limit':
      return "wait, or raise the account's limits with the provider";
    case 'server':
    case 'bad-response':
    case 'aborted':
      return "try again later; if it persists, check the provider's status page or your server's log";
    default: {
      const unreachable: never = kind;
      throw new Error(`unknown model error ${String(unreachable)}`);
    }
  }
}

/**
 * The configured model, asked once with the configured key (one short request, a few tokens),
 * through the same client the gateway uses.
 */
export const checkModel = defineCheck('model', 'Model', async (context, facts, o) => {
  const model = facts.config.config.agent.model;
  if (!model) {
    return o.warning(
      'no model configured: allowed senders only get a short "not configured" reply',
      `set agent.model in ${facts.config.path} (e.g. { provider: 'anthropic', name: 'claude-sonnet-4-5' }) and the key in ANTHROPIC_API_KEY (or OPENAI_API_KEY)`,
    );
  }
  const keyEnv = model.apiKeyEnv ?? DEFAULT_API_KEY_ENV[model.provider];
  const envKey = context.env[keyEnv]?.trim() || undefined;
  const apiKey = envKey ?? context.keychainKey ?? undefined;
  const label = `${model.provider}/${model.name}${model.baseUrl ? ` at ${model.baseUrl}` : ''}`;
  if (apiKey === undefined && !model.baseUrl) {
    // The CLI cannot read the desktop app's keychain; the app's dashboard runs this check with it.
    const keychain =
      context.keychainKey === undefined
        ? " (a key kept in the desktop app's keychain is checked on the app's dashboard)"
        : '';
    return (context.keychainKey === undefined ? o.warning : o.error)(
      `${label}: no key, ${keyEnv} is not set here${keychain}`,
      `export ${keyEnv}=… where Clawdbot runs, or store the key in the desktop app's Model card`,
    );
  }
  const [{ createModelClient }, { ModelError }] = await Promise.all([
    import('../../gateway/agent/model/create-model-client.js'),
    import('../../gateway/agent/model/model-types.js'),
  ]);
  const client = createModelClient(
    { ...model, timeoutSec: Math.min(model.timeoutSec, PROBE_TIMEOUT_SEC) },
    { env: context.env, ...(apiKey !== undefined && { apiKey }) },
  );
  try {
    const turn = await client.complete({
      system: 'This is a connectivity check. Answer with one word.',
      messages: [{ role: 'user', text: 'ping' }],
      tools: [],
      maxTokens: 16,
      signal: AbortSignal.timeout(PROBE_TIMEOUT_SEC * 1000),
    });
    const used = turn.usage ? `, ${turn.usage.inputTokens + turn.usage.outputTokens} tokens` : '';
    const from = envKey ? keyEnv : apiKey ? 'the keychain' : 'no key';
    return o.ok(`${label} answered one request (key: ${from}${used})`);
  } catch (error) {
    const kind: ModelErrorKind = error instanceof ModelError ? error.kind : 'bad-response';
    const message = error instanceof ModelError ? error.message : 'the model call failed';
    const summary = `${label}: ${message}`;
    const fix = fixFor(kind, model, keyEnv);
    // A busy or briefly failing server is not a broken set-up.
    return kind === 'rate-limit' || kind === 'server'
      ? o.warning(summary, fix)
      : o.error(summary, fix);
  }
});
