import { writeFileSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import JSON5 from 'json5';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src-shared/config/schema.js';
import { ConfigService } from '../../src-main/config/config-service.js';
import { loadConfigSync, parseConfigText } from '../../src-main/config/load-config.js';
import { createLastGoodConfigRepo } from '../../src-main/store/config-repo.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';

const errorsOf = (text: string): string[] => {
  const result = parseConfigText(text, 'clawdbot.json');
  return result.ok ? [] : result.errors;
};

describe('the config file', () => {
  const stateDir = useTempStateDirs();

  it('is optional: a missing file means pairing everywhere and groups closed', () => {
    const result = loadConfigSync(join(stateDir(), 'clawdbot.json'));
    expect(result).toMatchObject({ ok: true, exists: false });
    expect(defaultConfig.telegram).toMatchObject({
      dmPolicy: 'pairing',
      groupPolicy: 'allowlist',
      allowFrom: [],
      groupAllowFrom: [],
    });
    expect(defaultConfig.whatsapp.dmPolicy).toBe('pairing');
  });

  it('accepts JSON5 (comments, trailing commas, unquoted keys)', () => {
    const result = parseConfigText(
      `{
        // the seed's hardening example
        whatsapp: { dmPolicy: 'pairing', allowFrom: ['+15555550123'], groups: { '*': { requireMention: true } }, },
        routing: { groupChat: { mentionPatterns: ['@clawd', '@mybot'] } },
      }`,
      'x',
    );
    expect(result.ok).toBe(true);
  });

  it.each<[string, string, RegExp]>([
    [
      'open without "*"',
      `{ telegram: { dmPolicy: 'open' } }`,
      /^telegram\.dmPolicy="open" requires telegram\.allowFrom to include "\*"$/,
    ],
    [
      '"*" without open',
      `{ whatsapp: { allowFrom: ['*'] } }`,
      /^whatsapp\.allowFrom contains "\*", which is only allowed with whatsapp\.dmPolicy="open"/,
    ],
    [
      'unknown policy',
      `{ telegram: { dmPolicy: 'opne' } }`,
      /^telegram\.dmPolicy: expected one of "pairing"\|"allowlist"\|"open"\|"disabled"$/,
    ],
    [
      'unknown group policy',
      `{ whatsapp: { groupPolicy: 'everyone' } }`,
      /^whatsapp\.groupPolicy: expected one of "allowlist"\|"open"\|"disabled"$/,
    ],
    ['typo in a key', `{ telegram: { dmPolicyy: 'open' } }`, /^unknown key telegram\.dmPolicyy$/],
    ['unknown provider', `{ signal: {} }`, /^unknown key signal$/],
    ['allowFrom not a list', `{ telegram: { allowFrom: '123' } }`, /^telegram\.allowFrom: /],
    [
      'empty id',
      `{ telegram: { allowFrom: [''] } }`,
      /^telegram\.allowFrom\[0\]: ids must not be empty$/,
    ],
    [
      'requireMention not boolean',
      `{ telegram: { groups: { '-1': { requireMention: 'yes' } } } }`,
      /^telegram\.groups\.-1\.requireMention: /,
    ],
    [
      'bad regex',
      `{ routing: { groupChat: { mentionPatterns: ['ok', '(unclosed'] } } }`,
      /^routing\.groupChat\.mentionPatterns\[1\] is not a valid regular expression "\(unclosed"/,
    ],
    [
      'owner wildcard',
      `{ owner: { telegram: ['*'] } }`,
      /^owner\.telegram must list ids, not "\*"/,
    ],
    [
      'prefixed wildcard',
      `{ telegram: { allowFrom: ['tg:*'] } }`,
      /^telegram\.allowFrom contains "\*"/,
    ],
    [
      'a Telegram username',
      `{ telegram: { allowFrom: ['@alice'] } }`,
      /^telegram\.allowFrom\[0\] is "@alice", not a Telegram user id/,
    ],
    ['not an object', `[1, 2]`, /must be an object/],
    [
      'syntax error',
      `{ telegram: { dmPolicy: 'open' `,
      /^clawdbot\.json: JSON5: invalid end of input at 1:\d+/,
    ],
  ])('rejects %s, naming the key', (_name, text, message) => {
    const errors = errorsOf(text);
    expect(errors.length).toBeGreaterThan(0);
    expect(
      errors.some((e) => message.test(e)),
      errors.join('\n'),
    ).toBe(true);
  });

  it('never crashes on arbitrary input: every result is a config or a list of errors', () => {
    const jsonish = fc.letrec((tie) => ({
      value: fc.oneof(
        { depthSize: 'small' },
        fc.constantFrom(
          'pairing',
          'allowlist',
          'open',
          'disabled',
          '*',
          '(',
          '@clawd',
          'telegram',
          'whatsapp',
        ),
        fc.string(),
        fc.integer(),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), { maxLength: 4 }),
        tie('object'),
      ),
      object: fc.dictionary(
        fc.constantFrom(
          'telegram',
          'whatsapp',
          'owner',
          'routing',
          'groupChat',
          'mentionPatterns',
          'dmPolicy',
          'allowFrom',
          'groups',
          'groupPolicy',
          'groupAllowFrom',
          'requireMention',
          'enabled',
          'assistant',
          'name',
          '*',
          '__proto__',
          'constructor',
        ),
        tie('value'),
        { maxKeys: 6 },
      ),
    }));
    fc.assert(
      fc.property(
        fc.oneof(
          jsonish.object.map((o) => JSON5.stringify(o)),
          fc.string(),
        ),
        (text) => {
          const result = parseConfigText(text, 'fuzz.json');
          if (result.ok) expect(result.config.telegram.dmPolicy).toBeDefined();
          else expect(result.errors.every((e) => typeof e === 'string' && e.length > 0)).toBe(true);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reloads on change and keeps the last good config when an edit is invalid', async () => {
    const dir = stateDir();
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'clawdbot.json');
    writeFileSync(path, `{ telegram: { dmPolicy: 'allowlist' } }`);
    const watcher = new ConfigService(path, { debounceMs: 20 }).start();
    try {
      expect(watcher.current()).toMatchObject({
        errors: null,
        config: { telegram: { dmPolicy: 'allowlist' } },
      });

      writeFileSync(path, `{ telegram: { dmPolicy: 'open' } }`);
      const rejected = await waitFor(
        'the invalid edit to be noticed',
        () => watcher.current().errors,
      );
      expect(rejected[0]).toMatch(/requires telegram\.allowFrom/);
      expect(watcher.current().config.telegram.dmPolicy).toBe('allowlist');

      // Editors save by writing a temp file and renaming it over the original.
      writeFileSync(`${path}.tmp`, `{ telegram: { dmPolicy: 'disabled' } }`);
      renameSync(`${path}.tmp`, path);
      await waitFor(
        'the fixed edit to apply',
        () => watcher.current().config.telegram.dmPolicy === 'disabled',
      );
      expect(watcher.current().errors).toBeNull();
    } finally {
      watcher.stop();
    }
  });

  it('keeps the last good config in SQLite: a process starting on a broken file runs on it', () => {
    const dir = stateDir();
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'clawdbot.json');
    const db = openDatabase(dir);
    try {
      const store = createLastGoodConfigRepo(db);
      writeFileSync(path, `{ telegram: { dmPolicy: 'allowlist' } }`);
      const good = new ConfigService(path, { store, now: () => 1000 });
      expect(good.status()).toEqual({ path, state: 'valid', errors: [], lastGoodAt: 1000 });
      // The same content again keeps the date it was first seen valid.
      expect(new ConfigService(path, { store, now: () => 2000 }).status().lastGoodAt).toBe(1000);

      writeFileSync(path, `{ telegram: { dmPolicy: 'allowl`);
      const broken = new ConfigService(path, { store, now: () => 3000 });
      expect(broken.current()).toMatchObject({
        source: 'last-good',
        lastGoodAt: 1000,
        config: { telegram: { dmPolicy: 'allowlist' } },
      });
      expect(broken.status()).toMatchObject({ state: 'last-good', lastGoodAt: 1000 });
      expect(broken.status().errors[0]).toMatch(/clawdbot\.json: JSON5: invalid end of input/);

      // Another config path has no last good config: safe defaults, and it says so.
      const other = join(dir, 'other.json');
      writeFileSync(other, '{');
      expect(new ConfigService(other, { store }).status()).toMatchObject({
        state: 'rejected',
        lastGoodAt: null,
      });
      // A saved config the current schema no longer accepts is not used either.
      store.save(other, { bogus: true }, 5);
      expect(new ConfigService(other, { store }).current().source).toBe('defaults');
    } finally {
      db.close();
    }
  });
});
