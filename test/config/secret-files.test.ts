import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveSecretFiles } from '../../src-main/config/secret-files.js';

/** Secrets as Docker secrets: `X_FILE` names a file whose content becomes `X`. */
describe('secrets from *_FILE variables', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'clawdbot-secrets-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const file = (name: string, content: string): string => {
    const path = join(dir, name);
    writeFileSync(path, content, { mode: 0o600 });
    return path;
  };

  it('reads the token and the model key from files, trimmed, and drops the _FILE names', () => {
    const env: NodeJS.ProcessEnv = {
      TELEGRAM_BOT_TOKEN_FILE: file('tg', '123:abc-token-value\n'),
      ANTHROPIC_API_KEY_FILE: file('key', 'sk-ant-secret-value\n'),
      MY_MODEL_API_KEY_FILE: file('custom', 'custom-secret-value'),
      UNRELATED_FILE: '/etc/hostname',
    };
    resolveSecretFiles(env);
    expect(env).toEqual({
      TELEGRAM_BOT_TOKEN: '123:abc-token-value',
      ANTHROPIC_API_KEY: 'sk-ant-secret-value',
      MY_MODEL_API_KEY: 'custom-secret-value',
      UNRELATED_FILE: '/etc/hostname',
    });
    // A child given this environment (the gateway) resolves nothing twice.
    expect(() => resolveSecretFiles(env)).not.toThrow();
  });

  it('treats an empty file as not set (a placeholder for an unused provider)', () => {
    const env: NodeJS.ProcessEnv = { OPENAI_API_KEY_FILE: file('empty', '\n') };
    resolveSecretFiles(env);
    expect(env['OPENAI_API_KEY']).toBeUndefined();
  });

  it('names the variable when its file cannot be read', () => {
    const env: NodeJS.ProcessEnv = { TELEGRAM_BOT_TOKEN_FILE: join(dir, 'missing') };
    expect(() => resolveSecretFiles(env)).toThrow(
      /^TELEGRAM_BOT_TOKEN_FILE: cannot read .*missing/,
    );
  });

  it('refuses both the variable and its file, rather than guess which wins', () => {
    const env: NodeJS.ProcessEnv = {
      TELEGRAM_BOT_TOKEN: 'from-env-value',
      TELEGRAM_BOT_TOKEN_FILE: file('tg', 'from-file-value'),
    };
    expect(() => resolveSecretFiles(env)).toThrow(
      'both TELEGRAM_BOT_TOKEN and TELEGRAM_BOT_TOKEN_FILE are set: keep one',
    );
  });
});
