import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import JSON5 from 'json5';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigService, type ConfigState } from '../../src-main/config/config-service.js';
import { createContractHandlers } from '../../src-main/supervisor/contract-handlers.js';
import { createDispatch } from '../../src-main/supervisor/ipc-router.js';
import type { Envelope } from '../../src-shared/ipc/envelope.js';
import type { InvokeOutput } from '../../src-shared/ipc/contract.js';
import { useSupervisors } from '../helpers/supervisor.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';

/** Settings' config channels against a real config file with the owner's comments. */

const CONFIG = `// my bot — edited by hand, keep my notes
{
  assistant: { name: 'Clawd' }, // the name friends see
  owner: { telegram: ['111'] },
  telegram: {
    botToken: '123456:SECRET-token-never-shown',
    dmPolicy: 'pairing', // strangers get a code
    /* groups I trust */
    groups: { '-100123': { requireMention: true } },
  },
  agent: { instructions: 'say "hi" first', sandbox: { mode: 'all' } },
}
`;

describe('config:get, config:preview and config:save', () => {
  const tempStateDir = useTempStateDirs();
  const openSupervisor = useSupervisors();
  const services: ConfigService[] = [];
  afterEach(() => {
    for (const service of services.splice(0)) service.stop();
  });

  function setup(text: string | null = CONFIG) {
    const stateDir = tempStateDir();
    mkdirSync(stateDir, { recursive: true, mode: 0o700 });
    const configPath = join(stateDir, 'clawdbot.json');
    if (text !== null) writeFileSync(configPath, text, { mode: 0o600 });
    const supervisor = openSupervisor({ stateDir });
    const dispatch = createDispatch(createContractHandlers(supervisor));
    const call = async <T>(channel: string, input: unknown): Promise<Envelope<T>> =>
      (await dispatch(channel, input, { transport: 'web' })) as Envelope<T>;
    return { stateDir, configPath, supervisor, call };
  }

  it('reads the file and the config in force, naming secrets without their values', async () => {
    const { configPath, call } = setup();
    const reply = await call<InvokeOutput<'config:get'>>('config:get', {});
    if (!reply.ok) throw new Error(reply.error.message);
    expect(reply.value).toMatchObject({ path: configPath, exists: true, state: 'valid' });
    expect(reply.value.secretsSet).toEqual(['telegram.botToken']);
    expect(JSON.stringify(reply.value)).not.toContain('SECRET-token');
    expect(reply.value.file).toMatchObject({ telegram: { dmPolicy: 'pairing' } });
    // Defaults applied in the effective config: what the file leaves out is still shown.
    expect(reply.value.effective).toMatchObject({
      telegram: { groupPolicy: 'allowlist' },
      whatsapp: { dmPolicy: 'pairing' },
    });
  });

  it('reports each invalid field by its key path and writes nothing', async () => {
    const { configPath, call } = setup();
    const byPath = async (changes: unknown[]): Promise<Record<string, string>> => {
      const preview = await call<InvokeOutput<'config:preview'>>('config:preview', { changes });
      if (!preview.ok) throw new Error(preview.error.message);
      expect(preview.value.valid).toBe(false);
      return Object.fromEntries(preview.value.issues.map((i) => [i.path, i.message]));
    };
    const shapes = await byPath([
      { path: ['telegram', 'dmPolicy'], value: 'everyone' },
      { path: ['logging', 'level'], value: 'loud' },
      { path: ['agent', 'sandbox', 'colour'], value: 'red' },
    ]);
    expect(shapes['telegram.dmPolicy']).toMatch(/^expected one of "pairing"\|"allowlist"/);
    expect(shapes['logging.level']).toMatch(/expected one of/);
    expect(shapes['agent.sandbox']).toMatch(/unknown key agent\.sandbox\.colour/);
    // The rules across fields run once every field has the right shape.
    const rules = [
      { path: ['telegram', 'allowFrom'], value: ['@friend'] },
      { path: ['routing', 'groupChat', 'mentionPatterns'], value: ['(unclosed'] },
    ];
    const ruled = await byPath(rules);
    expect(ruled['telegram.allowFrom[0]']).toMatch(/not a Telegram user id/);
    expect(ruled['routing.groupChat.mentionPatterns[0]']).toMatch(/not a valid regular expression/);

    const saved = await call<InvokeOutput<'config:save'>>('config:save', { changes: rules });
    if (!saved.ok) throw new Error(saved.error.message);
    expect(saved.value.saved).toBe(false);
    expect(saved.value.issues.map((i) => i.path).sort()).toEqual(Object.keys(ruled).sort());
    expect(readFileSync(configPath, 'utf8')).toBe(CONFIG);
  });

  it('shows what will change before saving: added, changed and removed keys', async () => {
    const { configPath, call } = setup();
    const preview = await call<InvokeOutput<'config:preview'>>('config:preview', {
      changes: [
        { path: ['telegram', 'dmPolicy'], value: 'allowlist' },
        { path: ['telegram', 'allowFrom'], value: ['222'] },
        { path: ['agent', 'instructions'], remove: true },
      ],
    });
    if (!preview.ok) throw new Error(preview.error.message);
    expect(preview.value).toEqual({
      valid: true,
      issues: [],
      diff: [
        { path: 'telegram.dmPolicy', before: 'pairing', after: 'allowlist' },
        { path: 'telegram.allowFrom', after: ['222'] },
        { path: 'agent.instructions', before: 'say "hi" first' },
      ],
    });
    // A preview writes nothing.
    expect(readFileSync(configPath, 'utf8')).toBe(CONFIG);
  });

  it("saves keeping the owner's comments, and every process runs on it at once", async () => {
    const { configPath, supervisor, call } = setup();
    // What the gateway has: its own config service watching the same file.
    const gatewaySide = new ConfigService(configPath, { debounceMs: 10 }).start();
    services.push(gatewaySide);
    const seen: ConfigState[] = [];
    gatewaySide.onChange((state) => seen.push(state));
    const mode = statSync(configPath).mode & 0o777;

    const saved = await call<InvokeOutput<'config:save'>>('config:save', {
      changes: [
        { path: ['telegram', 'dmPolicy'], value: 'allowlist' },
        { path: ['telegram', 'allowFrom'], value: ['222'] },
        { path: ['telegram', 'groups', '-100123', 'requireMention'], value: false },
        { path: ['logging', 'level'], value: 'debug' },
      ],
    });
    if (!saved.ok) throw new Error(saved.error.message);
    expect(saved.value).toMatchObject({ saved: true, valid: true, commentsKept: true });
    expect(saved.value.diff).toEqual([
      { path: 'telegram.dmPolicy', before: 'pairing', after: 'allowlist' },
      { path: 'telegram.groups.-100123.requireMention', before: true, after: false },
      { path: 'telegram.allowFrom', after: ['222'] },
      { path: 'logging.level', after: 'debug' },
    ]);

    const text = readFileSync(configPath, 'utf8');
    for (const comment of [
      '// my bot — edited by hand, keep my notes',
      '// the name friends see',
      '// strangers get a code',
      '/* groups I trust */',
    ])
      expect(text).toContain(comment);
    expect(text).toContain("dmPolicy: 'allowlist', // strangers get a code");
    const parsed = JSON5.parse<Record<string, Record<string, unknown>>>(text);
    expect(parsed['telegram']).toMatchObject({
      botToken: '123456:SECRET-token-never-shown',
      allowFrom: ['222'],
      groups: { '-100123': { requireMention: false } },
    });
    expect(statSync(configPath).mode & 0o777).toBe(mode);

    // The supervisor answered with the config already in force…
    expect(supervisor.config.current().config.telegram.dmPolicy).toBe('allowlist');
    expect(saved.value.view.effective).toMatchObject({ logging: { level: 'debug' } });
    // …and the gateway's watcher hot-reloads the same file.
    const reloaded = await waitFor('the gateway side to reload', () =>
      seen.find((state) => state.config.telegram.dmPolicy === 'allowlist'),
    );
    expect(reloaded.config.telegram.allowFrom).toEqual(['222']);
    expect(reloaded.errors).toBeNull();
  });

  it('creates the file on a fresh state directory, private', async () => {
    const { configPath, call } = setup(null);
    const saved = await call<InvokeOutput<'config:save'>>('config:save', {
      changes: [{ path: ['owner', 'telegram'], value: ['111'] }],
    });
    if (!saved.ok) throw new Error(saved.error.message);
    expect(saved.value.saved).toBe(true);
    expect(JSON5.parse(readFileSync(configPath, 'utf8'))).toEqual({ owner: { telegram: ['111'] } });
    expect(statSync(configPath).mode & 0o777).toBe(0o600);
    expect(saved.value.view).toMatchObject({ exists: true, state: 'valid' });
  });

  it('never takes a secret from a form, nor drops one', async () => {
    const { configPath, call } = setup();
    const saved = await call<InvokeOutput<'config:save'>>('config:save', {
      changes: [{ path: ['telegram'], value: { dmPolicy: 'allowlist' } }],
    });
    if (!saved.ok) throw new Error(saved.error.message);
    expect(saved.value.saved).toBe(false);
    expect(saved.value.issues.map((i) => i.path)).toEqual(['telegram.botToken']);
    expect(saved.value.issues[0]?.message).toMatch(
      /is a secret and is not changed through settings/,
    );
    expect(JSON.stringify(saved.value)).not.toContain('SECRET-token');
    expect(readFileSync(configPath, 'utf8')).toBe(CONFIG);
  });

  it('rejects a malformed payload with a message naming the field', async () => {
    const { call } = setup();
    const empty = await call('config:save', { changes: [] });
    expect(empty).toMatchObject({ ok: false, error: { code: 'BAD_INPUT' } });
    if (empty.ok) throw new Error('accepted');
    expect(empty.error.message).toMatch(/^config:save: changes:/);
    const noPath = await call('config:preview', { changes: [{ path: [], value: 1 }] });
    if (noPath.ok) throw new Error('accepted');
    expect(noPath.error.message).toMatch(/changes\.0\.path: a change needs a key path/);
  });
});
