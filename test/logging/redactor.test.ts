import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../src-shared/config/schema.js';
import {
  processRedactor,
  redactSecrets,
  setProcessSecrets,
} from '../../src-main/logging/redact.js';
import { collectSecrets, createRedactor, REDACTED } from '../../src-main/logging/redactor.js';

const TELEGRAM = '123456789:AAHfakeTokenValue_abcdefghijklmnopqrs';
const ANTHROPIC = 'sk-ant-api03-abcdefghijklmnopqrstuvwxyz012345';
const OPENAI = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123';

describe('createRedactor', () => {
  const redactor = createRedactor({ secrets: ['hunter2-is-long', 'pa"ss\\word-x'], enabled: true });

  it('replaces configured secrets, also JSON-escaped and URL-encoded', () => {
    expect(redactor.redact('login with hunter2-is-long ok')).toBe(`login with ${REDACTED} ok`);
    const json = JSON.stringify({ pw: 'pa"ss\\word-x' });
    expect(json).not.toContain('pa"ss\\word-x');
    expect(redactor.redact(json)).toBe(`{"pw":"${REDACTED}"}`);
    const encoded = `https://x.test/?k=${encodeURIComponent('pa"ss\\word-x')}`;
    expect(redactor.redact(encoded)).toBe(`https://x.test/?k=${REDACTED}`);
  });

  it('replaces secret shapes nobody configured', () => {
    const text = `url https://api.telegram.org/bot${TELEGRAM}/getMe keys ${ANTHROPIC} ${OPENAI} auth Bearer abc.def-ghi_jkl`;
    const out = redactor.redact(text);
    for (const secret of [TELEGRAM, ANTHROPIC, OPENAI, 'abc.def-ghi_jkl']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain(`Bearer ${REDACTED}`);
    // Ordinary words that merely contain the prefixes stay.
    expect(redactor.redact('task-runner and risk-assessment')).toBe(
      'task-runner and risk-assessment',
    );
  });

  it('redacts WhatsApp credentials by key name, deeply, and leaves flags alone', () => {
    const creds = {
      noiseKey: { private: Buffer.from('noise-private'), public: Buffer.from('noise-public') },
      signedIdentityKey: { private: 'aaa', public: 'bbb' },
      advSecretKey: 'c2VjcmV0LXNlY3JldA==',
      me: { id: '4912345@s.whatsapp.net' },
      nested: [{ privKey: 'zzz' }],
      token: true,
    };
    const out = redactor.redactValue({ creds });
    expect(out.creds.noiseKey).toBe(REDACTED);
    expect(out.creds.signedIdentityKey).toBe(REDACTED);
    expect(out.creds.advSecretKey).toBe(REDACTED);
    expect(out.creds.nested[0]?.privKey).toBe(REDACTED);
    expect(out.creds.me.id).toBe('4912345@s.whatsapp.net');
    expect(out.creds.token).toBe(true);
    // The input is not modified.
    expect(creds.advSecretKey).toBe('c2VjcmV0LXNlY3JldA==');
  });

  it('redacts credentials in JSON text too', () => {
    const text = JSON.stringify({ advSecretKey: 'abc', noiseKey: { private: { data: 'x' } } });
    const out = redactor.redact(text);
    expect(out).not.toContain('abc');
    expect(out).not.toContain('"data":"x"');
  });

  it('turns errors into plain redacted objects and survives cycles', () => {
    const error = new Error(`call failed for ${TELEGRAM}`);
    const cyclic: Record<string, unknown> = { error };
    cyclic['self'] = cyclic;
    const out = redactor.redactValue(cyclic) as Record<string, Record<string, unknown>>;
    expect(out['error']?.['message']).toBe(`call failed for ${REDACTED}`);
    expect(String(out['error']?.['stack'])).not.toContain(TELEGRAM);
    expect(out['self']).toBe('[circular]');
    expect(() => JSON.stringify(out)).not.toThrow();
  });

  it('changes nothing when disabled', () => {
    const off = createRedactor({ secrets: ['hunter2-is-long'], enabled: false });
    expect(off.redact(`hunter2-is-long ${TELEGRAM}`)).toBe(`hunter2-is-long ${TELEGRAM}`);
    const value = { advSecretKey: 'x' };
    expect(off.redactValue(value)).toBe(value);
  });
});

describe('collectSecrets', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });

  it('gathers the token, the token file, API keys, sandbox env, and skips short values', () => {
    const dir = mkdtempSync(join(tmpdir(), 'clawdbot-secrets-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'tg.token'), 'file-token-0123456789\n');
    const config = ConfigSchema.parse({
      telegram: { botToken: 'inline-token-0123456789', tokenFile: 'tg.token' },
      agent: {
        model: { provider: 'openai', name: 'm', apiKeyEnv: 'MY_KEY' },
        sandbox: { docker: { env: { GH_TOKEN: 'gh-token-0123456789', SHORT: 'abc' } } },
      },
    });
    const secrets = collectSecrets(
      config,
      {
        MY_KEY: 'my-key-0123456789',
        ANTHROPIC_API_KEY: 'anthropic-0123456789',
        TELEGRAM_BOT_TOKEN: 'tiny',
        CLAWDBOT_WEB_TOKEN: 'web-token-0123456789',
        HOME: '/home/someone',
      },
      ['extra-secret-0123'],
      dir,
    );
    expect(secrets.sort()).toEqual(
      [
        'anthropic-0123456789',
        'extra-secret-0123',
        'file-token-0123456789',
        'gh-token-0123456789',
        'inline-token-0123456789',
        'my-key-0123456789',
        'web-token-0123456789',
      ].sort(),
    );
  });

  it('uses the provider default key variable without apiKeyEnv', () => {
    const config = ConfigSchema.parse({ agent: { model: { provider: 'anthropic', name: 'm' } } });
    expect(collectSecrets(config, { ANTHROPIC_API_KEY: 'anthropic-0123456789' })).toEqual([
      'anthropic-0123456789',
    ]);
  });
});

describe('the process redactor', () => {
  afterEach(() => setProcessSecrets([]));

  it('keeps redactSecrets working and follows the process secrets', () => {
    expect(redactSecrets(`bot${TELEGRAM}/x`)).toBe(`bot${REDACTED}/x`);
    const held = processRedactor;
    setProcessSecrets(['canary-process-secret']);
    expect(redactSecrets('a canary-process-secret b')).toBe(`a ${REDACTED} b`);
    expect(held.redactValue({ m: 'canary-process-secret' })).toEqual({ m: REDACTED });
  });
});
