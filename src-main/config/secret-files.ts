import { readFileSync } from 'node:fs';
import { secretEnvNames } from '../secret-registry.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** The suffix naming a file that holds a secret variable's value (Docker secrets' convention). */
export const SECRET_FILE_SUFFIX = '_FILE';

/**
 * The secret variables that may come from a file: the known ones, and any `…_API_KEY` (a model
 * key under the name `agent.model.apiKeyEnv` chose).
 */
function fileBackedNames(env: NodeJS.ProcessEnv): string[] {
  const names = new Set<string>(secretEnvNames());
  for (const key of Object.keys(env)) {
    if (!key.endsWith(SECRET_FILE_SUFFIX)) continue;
    const name = key.slice(0, -SECRET_FILE_SUFFIX.length);
    if (name.endsWith('_API_KEY')) names.add(name);
  }
  return [...names];
}

/**
 * Fills each secret variable from the file its `…_FILE` twin names (`TELEGRAM_BOT_TOKEN_FILE=
 * /run/secrets/telegram_bot_token`), so secrets reach a container as Docker secrets instead of
 * environment values that `docker inspect` shows. Called once at process start, before anything
 * reads the environment; from then on every reader sees the plain variable. The file's content
 * is trimmed (a trailing newline is not part of a token); an empty file means "not set". Throws
 * an Error naming the variable when the file cannot be read, or when both forms are set.
 */
export function resolveSecretFiles(env: NodeJS.ProcessEnv = process.env): void {
  for (const name of fileBackedNames(env)) {
    const fileVar = `${name}${SECRET_FILE_SUFFIX}`;
    const file = env[fileVar]?.trim();
    if (!file) continue;
    if (env[name]?.trim()) {
      throw new Error(`both ${name} and ${fileVar} are set: keep one`);
    }
    let value: string;
    try {
      value = readFileSync(file, 'utf8').trim();
    } catch (error) {
      throw new Error(`${fileVar}: cannot read ${file} (${describeError(error)})`);
    }
    if (value !== '') env[name] = value;
    // Resolved once: a child given this environment (the gateway) sees only the variable.
    delete env[fileVar];
  }
}
