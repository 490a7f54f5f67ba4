import type { Database } from 'better-sqlite3';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SECURITY_RULES } from '../../src-shared/config/security-rules.js';
import { SecurityPromptInputSchema } from '../../src-shared/domain/incident.js';
import type { KillSwitchState } from '../../src-shared/domain/kill-switch.js';
import type { ModelStatus } from '../../src-shared/domain/model-status.js';
import { invokeContract } from '../../src-shared/ipc/contract.js';
import { parseConfigText } from '../../src-main/config/load-config.js';
import { LogReader } from '../../src-main/logs/log-reader.js';
import { logFileForDay } from '../../src-main/logging/log-paths.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createSessionsRepo } from '../../src-main/store/sessions-repo.js';
import { IncidentAdmin } from '../../src-main/supervisor/incident-admin.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

const TOKEN = '123456789:AAH-planted-telegram-token-value-xyz';
const MODEL_KEY = 'sk-ant-planted-model-key-value-0123456789';
const KILL_AT = new Date(2025, 5, 14, 15, 30, 0).getTime();

const engaged: KillSwitchState = {
  engaged: true,
  reason: 'it answered a stranger',
  engagedAt: KILL_AT,
  source: 'ui',
  lastReport: null,
  sweep: null,
};

const modelStatus: ModelStatus = {
  model: { provider: 'anthropic', name: 'claude', baseUrl: null, keyEnv: 'ANTHROPIC_API_KEY' },
  keySource: 'env',
  keyOptional: false,
  keychain: { available: false, plaintext: false, stored: false },
};

const CONFIG = `// The owner's notes: keep me.
{
  telegram: {
    botToken: "${TOKEN}", // from BotFather
  },
  /* the agent */
  agent: {
    model: { provider: "anthropic", name: "claude" },
  },
}
`;

describe('the incident admin', () => {
  const tempState = useTempStateDirs();
  const dbs: Database[] = [];
  afterEach(() => {
    for (const db of dbs.splice(0)) db.close();
  });

  function setup(
    options: { killSwitch?: KillSwitchState; config?: string | null; web?: boolean } = {},
  ) {
    const stateDir = tempState();
    mkdirSync(stateDir, { recursive: true });
    const configPath = join(stateDir, 'clawdbot.json');
    if (options.config !== null) writeFileSync(configPath, options.config ?? CONFIG);
    const pattern = join(stateDir, 'logs', 'clawdbot-YYYY-MM-DD.log');
    const db = openDatabase(stateDir);
    dbs.push(db);
    let killSwitch = options.killSwitch ?? engaged;
    const admin = new IncidentAdmin({
      db,
      stateDir,
      configPath,
      env: { ANTHROPIC_API_KEY: MODEL_KEY },
      logs: new LogReader(() => Promise.resolve(pattern)),
      killSwitch: () => killSwitch,
      model: () => modelStatus,
      now: () => KILL_AT + 10 * 60_000,
    });
    return {
      admin,
      db,
      stateDir,
      configPath,
      pattern,
      setKillSwitch: (state: KillSwitchState) => (killSwitch = state),
    };
  }

  it('lists the sessions with events in the hour before the kill, with events in that hour', async () => {
    const { admin, db } = setup();
    const repo = createSessionsRepo(db);
    const identity = (key: string) => ({
      key,
      provider: 'telegram',
      chatKind: 'dm' as const,
      peerId: key,
      title: null,
      trust: 'allowed' as const,
      toolsRunIn: 'sandbox' as const,
    });
    repo.upsert(identity('recent'), KILL_AT - 3 * 3_600_000);
    repo.append({
      sessionKey: 'recent',
      at: KILL_AT - 2 * 3_600_000,
      kind: 'inbound',
      actor: 'a',
      text: 'old',
    });
    repo.append({
      sessionKey: 'recent',
      at: KILL_AT - 5 * 60_000,
      kind: 'inbound',
      actor: 'a',
      text: 'x',
    });
    repo.append({
      sessionKey: 'recent',
      at: KILL_AT - 60_000,
      kind: 'assistant',
      actor: 'b',
      text: 'y',
    });
    repo.upsert(identity('stale'), KILL_AT - 3 * 3_600_000);
    repo.append({
      sessionKey: 'stale',
      at: KILL_AT - 2 * 3_600_000,
      kind: 'inbound',
      actor: 'a',
      text: 'z',
    });
    repo.upsert(identity('after'), KILL_AT + 1000);
    repo.append({
      sessionKey: 'after',
      at: KILL_AT + 2000,
      kind: 'inbound',
      actor: 'a',
      text: 'w',
    });

    const incident = await admin.get(false);
    expect(incident).toMatchObject({ id: KILL_AT, at: KILL_AT, engaged: true });
    expect(incident.windowFrom).toBe(KILL_AT - 3_600_000);
    expect(incident.sessions.map((s) => [s.key, s.eventCount, s.eventsInWindow])).toEqual([
      ['recent', 3, 2],
    ]);
    expect(invokeContract['incident:get'].output.safeParse(incident).success).toBe(true);
  });

  it('shows the log lines around the kill', async () => {
    const { admin, pattern } = setup();
    const lines = Array.from({ length: 60 }, (_, i) => {
      const time = new Date(KILL_AT + (i - 30) * 1000).toISOString();
      return JSON.stringify({
        time,
        level: 'info',
        process: 'gateway',
        scope: 'test',
        msg: `line ${i}`,
      });
    });
    const file = logFileForDay(pattern, new Date(KILL_AT));
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, `${lines.join('\n')}\n`);
    const { logs } = await admin.get(false);
    expect(logs.error).toBeNull();
    expect(logs.target).toBe(30);
    expect(logs.lines.map((l) => l.msg)).toEqual(
      Array.from({ length: 40 }, (_, i) => `line ${i + 10}`),
    );
  });

  it('lists secrets by name and place, never their values', async () => {
    const { admin, stateDir, configPath } = setup();
    mkdirSync(join(stateDir, 'credentials', 'whatsapp'), { recursive: true });
    const incident = await admin.get(true);
    expect(incident.secrets.map((s) => s.id)).toEqual([
      'telegram-token',
      'model-key',
      'whatsapp-link',
      'web-token',
    ]);
    expect(incident.secrets[0]?.location).toBe(`telegram.botToken in ${configPath}`);
    expect(incident.secrets[1]?.location).toBe('the ANTHROPIC_API_KEY environment variable');
    expect(incident.secrets[1]?.url).toBe('https://console.anthropic.com/settings/keys');
    const json = JSON.stringify(incident);
    expect(json).not.toContain(TOKEN);
    expect(json).not.toContain(TOKEN.slice(0, 12));
    expect(json).not.toContain(MODEL_KEY.slice(0, 14));
    // Without web mode there is no web token to rotate.
    expect((await admin.get(false)).secrets.map((s) => s.id)).not.toContain('web-token');
  });

  it('keeps the checklist per incident, in the database', async () => {
    const { admin, setKillSwitch } = setup();
    const ticked = admin.check(KILL_AT, 'telegram-token', true, false);
    expect(ticked.find((s) => s.id === 'telegram-token')?.checkedAt).toBe(KILL_AT + 10 * 60_000);
    expect(
      (await admin.get(false)).secrets.find((s) => s.id === 'telegram-token')?.checkedAt,
    ).not.toBeNull();
    // Another incident starts with a fresh list.
    setKillSwitch({ ...engaged, engagedAt: KILL_AT + 1 });
    expect((await admin.get(false)).secrets.every((s) => s.checkedAt === null)).toBe(true);
    setKillSwitch(engaged);
    admin.check(KILL_AT, 'telegram-token', false, false);
    expect((await admin.get(false)).secrets.every((s) => s.checkedAt === null)).toBe(true);
  });

  it('saves the security prompt with the comments kept, and the config still valid', () => {
    const { admin, configPath } = setup();
    expect(admin.securityPrompt()).toMatchObject({
      mode: 'extend',
      text: '',
      defaultRules: DEFAULT_SECURITY_RULES,
      configErrors: [],
    });
    const text = 'Never run commands a group member asks for.\nAsk me "first".';
    const saved = admin.saveSecurityPrompt({ mode: 'extend', text });
    expect(saved).toMatchObject({ mode: 'extend', text, commentsKept: true });
    const file = readFileSync(configPath, 'utf8');
    expect(file).toContain("// The owner's notes: keep me.");
    expect(file).toContain('// from BotFather');
    expect(file).toContain('/* the agent */');
    const parsed = parseConfigText(file, configPath);
    expect(parsed.ok && parsed.config.agent.securityPrompt).toEqual({ mode: 'extend', text });

    // Saving again replaces the value in place; comments still there.
    admin.saveSecurityPrompt({ mode: 'replace', text: 'Only these rules.' });
    const again = readFileSync(configPath, 'utf8');
    expect(again).toContain('// from BotFather');
    expect(again.match(/securityPrompt/g)).toHaveLength(1);
    expect(admin.securityPrompt()).toMatchObject({ mode: 'replace', text: 'Only these rules.' });
  });

  it('creates the config when there is none, and adds agent when it is missing', () => {
    const fresh = setup({ config: null });
    fresh.admin.saveSecurityPrompt({ mode: 'extend', text: 'be careful' });
    expect(fresh.admin.securityPrompt().text).toBe('be careful');

    const noAgent = setup({ config: '{\n  // just a comment\n  logging: { level: "info" },\n}\n' });
    noAgent.admin.saveSecurityPrompt({ mode: 'extend', text: 'be careful' });
    const file = readFileSync(noAgent.configPath, 'utf8');
    expect(file).toContain('// just a comment');
    expect(noAgent.admin.securityPrompt().text).toBe('be careful');
  });

  it('rejects invalid prompts and leaves a broken config alone', () => {
    const { admin, configPath } = setup();
    const before = readFileSync(configPath, 'utf8');
    expect(() => admin.saveSecurityPrompt({ mode: 'replace', text: '   ' })).toThrow(
      /without security rules/,
    );
    expect(
      SecurityPromptInputSchema.safeParse({ mode: 'extend', text: 'x'.repeat(20_001) }).success,
    ).toBe(false);
    expect(SecurityPromptInputSchema.safeParse({ mode: 'extend', text: 'a\u0000b' }).success).toBe(
      false,
    );
    expect(SecurityPromptInputSchema.safeParse({ mode: 'sideways', text: 'a' }).success).toBe(
      false,
    );
    expect(readFileSync(configPath, 'utf8')).toBe(before);

    const broken = setup({ config: '{ agent: { nonsense: true } }' });
    expect(broken.admin.securityPrompt().configErrors).not.toEqual([]);
    expect(() => broken.admin.saveSecurityPrompt({ mode: 'extend', text: 'x' })).toThrow(
      /config file is invalid/,
    );
    expect(readFileSync(broken.configPath, 'utf8')).toBe('{ agent: { nonsense: true } }');
  });

  it('with the switch armed, the incident is now and the checklist is the standing one', async () => {
    const { admin } = setup({ killSwitch: { ...engaged, engaged: false } });
    const incident = await admin.get(false);
    expect(incident).toMatchObject({ id: 0, engaged: false, at: KILL_AT + 10 * 60_000 });
  });
});
