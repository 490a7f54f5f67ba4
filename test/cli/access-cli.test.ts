import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { APPROVED_TEXT, type PairingRequest } from '../../src-shared/domain/access.js';
import { idleGatewayStatus } from '../../src-shared/domain/gateway.js';
import type { AllowlistOverview } from '../../src-shared/domain/allowlist-overview.js';
import { createAccessStore, type AccessStore } from '../../src-main/access/access-store.js';
import { PairingService } from '../../src-main/access/pairing-service.js';
import { composeGateway } from '../../src-main/gateway/gateway-composition.js';
import type { Delivery } from '../../src-main/gateway/inbound/delivery.js';
import { silentLogger } from '../../src-main/logging/logger.js';
import { processIdentity } from '../../src-main/process/process-identity.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { createRuntimeRepo } from '../../src-main/store/runtime-repo.js';
import { runCli, type CliResult } from '../helpers/cli.js';
import { NO_DOCKER_HOST, fixturesDir, repoRoot } from '../helpers/paths.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { waitFor } from '../helpers/wait.js';
import { dm } from '../helpers/gateway-harness.js';

/** Opens databases for a test and closes them afterwards. */
function useStores(): (stateDir: string) => AccessStore {
  const open: Database[] = [];
  afterEach(() => {
    for (const db of open.splice(0)) db.close();
  });
  return (stateDir) => {
    const db = openDatabase(stateDir);
    open.push(db);
    return createAccessStore(db);
  };
}

/** A failure as the CLI promises to report it: exit 1 and one `clawdbot: …` line. */
function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.code, result.stdout).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^clawdbot: /);
  expect(lines[0]).toMatch(pattern);
}

/** The pairing writer's last line: what each stranger experienced. */
interface WriterDone {
  strangers: { provider: string; senderId: string; notices: number; sessionKey: string }[];
}

describe('clawdbot pairing, allowlist and config', () => {
  const stateDir = useTempStateDirs();
  const openStore = useStores();
  const envFor = (dir: string): NodeJS.ProcessEnv => ({
    CLAWDBOT_STATE_DIR: dir,
    CLAWDBOT_CONFIG_PATH: '',
    DOCKER_HOST: NO_DOCKER_HOST,
  });
  const writeConfig = (dir: string, text: string): string => {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'clawdbot.json');
    writeFileSync(path, text);
    return path;
  };

  it('prints --help for every access command', async () => {
    const env = envFor(stateDir());
    for (const args of [
      ['pairing'],
      ['pairing', 'list'],
      ['pairing', 'approve'],
      ['pairing', 'reject'],
      ['allowlist'],
      ['allowlist', 'list'],
      ['allowlist', 'add'],
      ['allowlist', 'remove'],
      ['config'],
      ['config', 'validate'],
      ['config', 'schema'],
    ]) {
      const result = await runCli([...args, '--help'], env);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: clawdbot/);
    }
  });

  it('pairing list, approve (lower-case code) and reject a request the gateway side created', async () => {
    const dir = stateDir();
    const env = envFor(dir);
    const store = openStore(dir);
    const pairing = new PairingService(store);
    const alice = pairing.onStranger('telegram', '4242', 'Alice');
    const bob = pairing.onStranger('whatsapp', '+15550001111', 'Bob');
    if (alice.kind !== 'created' || bob.kind !== 'created') throw new Error('no requests');

    const table = await runCli(['pairing', 'list'], env);
    expect(table.code, table.stderr).toBe(0);
    const [header, ...rows] = table.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^PROVIDER\s+CODE\s+SENDER ID\s+NAME\s+FIRST SEEN\s+EXPIRES IN$/);
    expect(rows).toHaveLength(2);
    expect(table.stdout).toContain(alice.request.code);
    expect(table.stdout).toMatch(/telegram\s+\w{8}\s+4242\s+Alice\s+\d+ (ms|s) ago\s+59 min/);

    const json = await runCli(['pairing', 'list', '--provider', 'telegram', '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const listed = JSON.parse(json.stdout) as PairingRequest[];
    expect(listed.map((r) => [r.provider, r.senderId, r.code])).toEqual([
      ['telegram', '4242', alice.request.code],
    ]);

    const approve = await runCli(
      ['pairing', 'approve', '--provider', 'telegram', alice.request.code.toLowerCase()],
      env,
    );
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.stdout).toMatch(/^approved Alice \(4242\) on telegram/);
    expect(approve.stdout).toMatch(/not told; pass --notify/);
    expect(store.allowlist.has('telegram', 'dm', '4242')).toBe(true);

    // A code is matched per provider: Bob's code is not a Telegram code.
    const wrongProvider = await runCli(
      ['pairing', 'reject', '--provider', 'telegram', bob.request.code],
      env,
    );
    expectOneLineError(wrongProvider, /no pending telegram pairing request with code/);

    const reject = await runCli(
      ['pairing', 'reject', '--provider', 'whatsapp', bob.request.code],
      env,
    );
    expect(reject.code, reject.stderr).toBe(0);
    expect(reject.stdout).toMatch(/^rejected Bob \(\+15550001111\) on whatsapp/);
    expect(store.allowlist.has('whatsapp', 'dm', '+15550001111')).toBe(false);

    const empty = await runCli(['pairing', 'list', '--json'], env);
    expect(JSON.parse(empty.stdout)).toEqual([]);
    expect((await runCli(['pairing', 'list'], env)).stdout).toBe('no pending pairing requests\n');

    const audit = store.db
      .prepare<[], { action: string; subject_id: string; actor: string }>(
        "SELECT action, subject_id, actor FROM access_audit WHERE actor = 'cli' ORDER BY id",
      )
      .all();
    expect(audit).toEqual([
      { action: 'pairing-approved', subject_id: '4242', actor: 'cli' },
      { action: 'pairing-rejected', subject_id: '+15550001111', actor: 'cli' },
    ]);
  });

  it('rejects bad arguments at the boundary with one line and exit 1', async () => {
    const env = envFor(stateDir());
    expectOneLineError(
      await runCli(['pairing', 'list', '--provider', 'signal'], env),
      /'signal' is invalid\. Allowed choices are whatsapp, telegram/,
    );
    expectOneLineError(
      await runCli(['pairing', 'approve', '--provider', 'telegram', 'ABC1'], env),
      /a pairing code is 8 characters from ABCDEFGHJKLMNPQRSTUVWXYZ23456789.*\(see `clawdbot pairing approve --help`\)$/,
    );
    expectOneLineError(
      await runCli(['pairing', 'approve', '--provider', 'telegram', 'ABCDEFG0'], env),
      /invalid for argument 'code'/,
    );
    expectOneLineError(
      await runCli(['pairing', 'approve', 'ABCDEFGH'], env),
      /required option '--provider <provider>' not specified/,
    );
    expectOneLineError(
      await runCli(['pairing', 'approve', '--provider', 'telegram', 'abcdefgh'], env),
      /no pending telegram pairing request with code ABCDEFGH/,
    );
    expectOneLineError(
      await runCli(['allowlist', 'add', '--provider', 'telegram', '*'], env),
      /a wildcard can only be set in the config file/,
    );
    expectOneLineError(
      await runCli(['allowlist', 'add', '--provider', 'sms', '123'], env),
      /Allowed choices are whatsapp, telegram/,
    );
  });

  it('allowlist add, list and remove, DM and --group; config entries cannot be removed here', async () => {
    const dir = stateDir();
    const env = envFor(dir);
    const configPath = writeConfig(dir, '{ telegram: { allowFrom: ["555"] } }');

    const add = await runCli(['allowlist', 'add', '--provider', 'telegram', '123'], env);
    expect(add.stdout).toBe('added telegram DM 123 to the allowlist\n');
    const again = await runCli(['allowlist', 'add', '--provider', 'telegram', 'tg:123'], env);
    expect(again.stdout).toBe('telegram DM 123 is already on the allowlist\n');
    const group = await runCli(
      ['allowlist', 'add', '--provider', 'whatsapp', '--group', '120363-42@g.us'],
      env,
    );
    expect(group.stdout).toBe('added whatsapp group 120363-42@g.us to the allowlist\n');

    const table = await runCli(['allowlist', 'list'], env);
    expect(table.code, table.stderr).toBe(0);
    expect(table.stdout).toMatch(/^telegram: DM policy pairing, group policy allowlist$/m);
    expect(table.stdout).toMatch(/^telegram\s+DM\s+555\s+-\s+config \(telegram\.allowFrom\)\s+-$/m);
    expect(table.stdout).toMatch(/^telegram\s+DM\s+123\s+-\s+approved\s+by cli, \d{4}-\d\d-\d\d/m);
    expect(table.stdout).toMatch(/^whatsapp\s+group\s+120363-42@g\.us\s+-\s+approved\s+by cli/m);

    const json = await runCli(['allowlist', 'list', '--provider', 'telegram', '--json'], env);
    const overview = JSON.parse(json.stdout) as AllowlistOverview;
    expect(overview.configPath).toBe(configPath);
    expect(overview.providers.map((p) => p.provider)).toEqual(['telegram']);
    expect(overview.providers[0]?.entries).toEqual([
      expect.objectContaining({ id: '555', source: 'config', configKey: 'telegram.allowFrom' }),
      expect.objectContaining({ id: '123', source: 'approved', approvedBy: 'cli', kind: 'dm' }),
    ]);

    expectOneLineError(
      await runCli(['allowlist', 'remove', '--provider', 'telegram', '555'], env),
      new RegExp(
        `555 comes from the config file: remove it from telegram\\.allowFrom in ${configPath}`,
      ),
    );
    // The group entry is not a DM entry: --group is what tells them apart.
    expectOneLineError(
      await runCli(['allowlist', 'remove', '--provider', 'whatsapp', '120363-42@g.us'], env),
      /not on the whatsapp DM allowlist/,
    );
    for (const args of [
      ['--provider', 'telegram', '123'],
      ['--provider', 'whatsapp', '--group', '120363-42@g.us'],
    ]) {
      const removed = await runCli(['allowlist', 'remove', ...args], env);
      expect(removed.code, removed.stderr).toBe(0);
      expect(removed.stdout).toMatch(/^removed /);
    }
    const after = JSON.parse(
      (await runCli(['allowlist', 'list', '--json'], env)).stdout,
    ) as AllowlistOverview;
    expect(after.providers.flatMap((p) => p.entries).map((e) => e.id)).toEqual(['555']);

    // An invalid config file: the listing says so; the last good config (what a gateway runs on
    // meanwhile) still names 555, and "not found" admits what it cannot check.
    writeConfig(dir, '{ telegram: { dmPolicy: "sometimes" } }');
    const warned = await runCli(['allowlist', 'list'], env);
    expect(warned.code).toBe(0);
    expect(warned.stderr).toMatch(/^clawdbot: warning: .*clawdbot\.json is invalid/);
    expectOneLineError(
      await runCli(['allowlist', 'remove', '--provider', 'telegram', '555'], env),
      /555 comes from the config file: remove it from telegram\.allowFrom/,
    );
    expectOneLineError(
      await runCli(['allowlist', 'remove', '--provider', 'telegram', '556'], env),
      /not on the telegram DM allowlist; .*clawdbot\.json is invalid, so its entries could not be checked/,
    );

    const audit = openStore(dir)
      .db.prepare<[], { action: string; subject_id: string }>(
        "SELECT action, subject_id FROM access_audit WHERE actor = 'cli' ORDER BY id",
      )
      .all();
    expect(audit.map((a) => `${a.action} ${a.subject_id}`)).toEqual([
      'allowlist-added 123',
      'allowlist-added 120363-42@g.us',
      'allowlist-removed 123',
      'allowlist-removed 120363-42@g.us',
    ]);
  });

  it('imports the legacy JSON stores on first use', async () => {
    const dir = stateDir();
    const env = envFor(dir);
    const credentials = join(dir, 'credentials');
    mkdirSync(credentials, { recursive: true });
    writeFileSync(
      join(credentials, 'telegram-allowFrom.json'),
      JSON.stringify({ version: 1, allowFrom: ['777'] }),
    );
    writeFileSync(
      join(credentials, 'telegram-pairing.json'),
      JSON.stringify({
        version: 1,
        requests: [{ id: '888', code: 'LEGACY23', createdAt: new Date().toISOString() }],
      }),
    );
    const pending = JSON.parse(
      (await runCli(['pairing', 'list', '--json'], env)).stdout,
    ) as PairingRequest[];
    expect(pending.map((r) => [r.senderId, r.code])).toEqual([['888', 'LEGACY23']]);
    const overview = JSON.parse(
      (await runCli(['allowlist', 'list', '--json'], env)).stdout,
    ) as AllowlistOverview;
    expect(overview.providers.flatMap((p) => p.entries)).toEqual([
      expect.objectContaining({ id: '777', source: 'approved', approvedBy: 'legacy-import' }),
    ]);
  });

  it('config validate: valid, missing (safe defaults), and every error with its key path', async () => {
    const dir = stateDir();
    const env = envFor(dir);

    const missing = await runCli(['config', 'validate'], env);
    expect(missing.code, missing.stderr).toBe(0);
    expect(missing.stdout).toMatch(
      /clawdbot\.json: no such file, so Clawdbot is using safe defaults/,
    );

    const path = writeConfig(
      dir,
      '// mine\n{ telegram: { dmPolicy: "allowlist", allowFrom: ["1"] } }',
    );
    const valid = await runCli(['config', 'validate'], env);
    expect(valid.code, valid.stderr).toBe(0);
    expect(valid.stdout).toBe(`${path}: valid\n`);

    const bad = join(dir, 'bad.json5');
    writeFileSync(
      bad,
      `{
        telegram: { dmPolicy: "open", allowFrom: ["1"], dmPolicyy: "x" },
        routing: { groupChat: { mentionPatterns: ["@clawd", "(unclosed"] } },
      }`,
    );
    const invalid = await runCli(['config', 'validate', '--file', bad], env);
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toBe('');
    const lines = invalid.stderr.trimEnd().split('\n');
    expect(lines[0]).toBe(`clawdbot: ${bad} is invalid (3 errors):`);
    expect(lines.slice(1).map((l) => l.trim())).toEqual(
      expect.arrayContaining([
        'telegram.dmPolicy="open" requires telegram.allowFrom to include "*"',
        'unknown key telegram.dmPolicyy',
        expect.stringMatching(
          /^routing\.groupChat\.mentionPatterns\[1\] is not a valid regular expression "\(unclosed"/,
        ),
      ]),
    );

    const syntax = join(dir, 'syntax.json5');
    writeFileSync(syntax, '{\n  telegram: {\n    dmPolicy: pairing\n  }\n}\n');
    const broken = await runCli(['config', 'validate', '--file', syntax], env);
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/JSON5: invalid character 'p' at 3:15/);
  });

  it('config schema prints a JSON Schema an editor can use', async () => {
    const result = await runCli(['config', 'schema'], envFor(stateDir()));
    expect(result.code, result.stderr).toBe(0);
    const schema = JSON.parse(result.stdout) as {
      $schema: string;
      properties: Record<string, { properties?: Record<string, unknown> }>;
      required?: string[];
      allOf?: unknown[];
    };
    expect(schema.$schema).toMatch(/json-schema\.org/);
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['telegram', 'whatsapp', 'owner', 'routing']),
    );
    expect(schema.properties['telegram']?.properties).toHaveProperty('dmPolicy');
    // Keys with defaults may be left out of the file.
    expect(schema.required ?? []).toEqual([]);
    // The "open needs *" rule is spelled out for editors, not only enforced by the loader.
    expect(schema.allOf).toContainEqual({
      if: {
        required: ['telegram'],
        properties: {
          telegram: { required: ['dmPolicy'], properties: { dmPolicy: { const: 'open' } } },
        },
      },
      then: {
        required: ['telegram'],
        properties: {
          telegram: {
            required: ['allowFrom'],
            properties: { allowFrom: { contains: { const: '*' } } },
          },
        },
      },
    });
  });

  it('a running gateway notices an approval within 2 s, tells the sender, and delivers their next message', async () => {
    const dir = stateDir();
    const env = envFor(dir);
    const { db } = openStore(dir);
    // This test process hosts the gateway, so it records itself as the running gateway.
    createRuntimeRepo(db).writeGateway(
      { ...idleGatewayStatus, state: 'running', pid: process.pid, startedAt: Date.now() },
      processIdentity(process.pid),
    );
    const sent: { chatId: string; text: string }[] = [];
    const deliveries: Delivery[] = [];
    const gateway = composeGateway({
      db,
      stateDir: dir,
      configPath: join(dir, 'clawdbot.json'),
      log: silentLogger,
      sessions: { deliver: (d) => void deliveries.push(d) },
    });
    await gateway.start();
    try {
      gateway.outbound.registerChannel({
        provider: 'telegram',
        send: (chatId, text) => Promise.resolve(void sent.push({ chatId, text })),
      });
      await gateway.inbound.handleInbound(dm('4242', 'hi'));
      const code = /Your pairing code: ([A-Z2-9]{8})/.exec(sent[0]?.text ?? '')?.[1];
      expect(code, JSON.stringify(sent)).toBeDefined();

      const approve = await runCli(
        ['pairing', 'approve', '--provider', 'telegram', code!.toLowerCase(), '--notify'],
        env,
      );
      expect(approve.code, approve.stderr).toBe(0);
      expect(approve.stdout).toMatch(/the gateway will notify them/);
      await waitFor(
        'the approval notice',
        () => sent.find((s) => s.chatId === '4242' && s.text === APPROVED_TEXT),
        2000,
      );

      await gateway.inbound.handleInbound(dm('4242', 'thanks!'));
      expect(deliveries.map((d) => [d.sessionKey, d.envelope.text])).toEqual([
        ['dm:telegram:4242', 'thanks!'],
      ]);
    } finally {
      await gateway.stop();
    }
  });

  it('with no gateway running, --notify says the notice waits for the gateway', async () => {
    const dir = stateDir();
    const created = new PairingService(openStore(dir)).onStranger('telegram', '9', null);
    if (created.kind !== 'created') throw new Error('no request');
    const approve = await runCli(
      ['pairing', 'approve', '--provider', 'telegram', created.request.code, '--notify'],
      envFor(dir),
    );
    expect(approve.code, approve.stderr).toBe(0);
    expect(approve.stdout).toMatch(/^approved 9 on telegram/);
    expect(approve.stdout).toMatch(/no gateway is running: the notice will be sent when it starts/);
  });

  it('two processes at once: the CLI approves while a gateway process writes requests; nothing is lost', async () => {
    const dir = stateDir();
    const env = envFor(dir);
    const strangers = 12;
    const writer = spawn(
      process.execPath,
      ['--import', 'tsx', join(fixturesDir, 'pairing-writer.ts'), dir, String(strangers)],
      { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const approvals: Promise<CliResult>[] = [];
    let stdout = '';
    let stderr = '';
    const report: { done: WriterDone | null } = { done: null };
    writer.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
    writer.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      const lines = stdout.split('\n');
      stdout = lines.pop() ?? '';
      for (const line of lines) {
        const message = JSON.parse(line) as
          { type: 'code'; provider: string; code: string } | ({ type: 'done' } & WriterDone);
        if (message.type === 'done') {
          report.done = message;
          continue;
        }
        // Every code is approved the moment it appears, half of them typed in lower case.
        const code = approvals.length % 2 ? message.code.toLowerCase() : message.code;
        approvals.push(
          runCli(['pairing', 'approve', '--provider', message.provider, code, '--notify'], env),
        );
      }
    });
    const exitCode = await new Promise<number | null>((resolve) => writer.on('close', resolve));
    const results = await Promise.all(approvals);

    expect(exitCode, stderr).toBe(0);
    expect(stderr).toBe('');
    expect(results).toHaveLength(strangers);
    for (const result of results) {
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
    }
    expect(report.done, "the writer's final report").not.toBeNull();
    const finished = report.done!.strangers;
    expect(finished).toHaveLength(strangers);
    for (const s of finished) {
      expect(s.notices, s.senderId).toBe(1);
      expect(s.sessionKey).toBe(`dm:${s.provider}:${s.senderId}`);
    }

    const store = openStore(dir);
    const approved = store.allowlist.list().map((e) => `${e.provider}:${e.id}`);
    expect(approved.sort()).toEqual(finished.map((s) => `${s.provider}:${s.senderId}`).sort());
    const audit = store.db
      .prepare<[], { action: string; subject_id: string; n: number }>(
        'SELECT action, subject_id, COUNT(*) AS n FROM access_audit GROUP BY action, subject_id',
      )
      .all();
    for (const s of finished) {
      for (const action of ['pairing-requested', 'pairing-approved']) {
        expect(
          audit.find((a) => a.action === action && a.subject_id === s.senderId)?.n,
          `${action} ${s.senderId}`,
        ).toBe(1);
      }
    }
    // Nothing expired, was rejected or was requested twice.
    expect(new Set(audit.map((a) => a.action))).toEqual(
      new Set(['pairing-requested', 'pairing-approved']),
    );
    expect(store.pairing.list()).toEqual([]);
  });
});
