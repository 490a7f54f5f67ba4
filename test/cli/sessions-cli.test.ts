import type { Database } from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { SessionSummary } from '../../src-shared/domain/transcript.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import {
  createSessionsRepo,
  type NewTranscriptEvent,
  type SessionsRepo,
} from '../../src-main/store/sessions-repo.js';
import type { TranscriptEventLine } from '../../src-main/cli/transcript-format.js';
import { runCli, startCli, type CliProcess, type CliResult } from '../helpers/cli.js';
import { NO_DOCKER_HOST } from '../helpers/paths.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

const PEER = 'dm:telegram:42';

/** A failure as the CLI promises to report it: exit 1 and one `clawdbot: …` line. */
function expectOneLineError(result: CliResult, pattern: RegExp): void {
  expect(result.code, result.stdout).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^clawdbot: /);
  expect(lines[0]).toMatch(pattern);
}

function jsonLines(stdout: string): TranscriptEventLine[] {
  return stdout
    .trimEnd()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as TranscriptEventLine);
}

describe('clawdbot sessions', () => {
  const stateDir = useTempStateDirs();
  const open: Database[] = [];
  const running: CliProcess[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((p) => p.stop()));
    for (const db of open.splice(0)) db.close();
  });
  const envFor = (dir: string): NodeJS.ProcessEnv => ({
    CLAWDBOT_STATE_DIR: dir,
    CLAWDBOT_CONFIG_PATH: '',
    DOCKER_HOST: NO_DOCKER_HOST,
  });

  /** A state dir with the owner's session and one peer's, as a gateway would have stored them. */
  function seeded(): { env: NodeJS.ProcessEnv; sessions: SessionsRepo } {
    const dir = stateDir();
    const db = openDatabase(dir);
    open.push(db);
    const sessions = createSessionsRepo(db);
    const t0 = Date.UTC(2026, 0, 5, 9, 30);
    sessions.upsert(
      {
        key: 'main',
        provider: 'telegram',
        chatKind: 'dm',
        peerId: 'owner',
        title: 'Me',
        trust: 'owner',
        toolsRunIn: 'host',
      },
      t0,
    );
    sessions.upsert(
      {
        key: PEER,
        provider: 'telegram',
        chatKind: 'dm',
        peerId: '42',
        title: 'Alice',
        trust: 'allowed',
        toolsRunIn: 'sandbox',
      },
      t0,
    );
    const events: NewTranscriptEvent[] = [
      { sessionKey: PEER, at: t0 + 1000, kind: 'access', actor: 'cli', text: 'approved by owner' },
      {
        sessionKey: PEER,
        at: t0 + 2000,
        kind: 'inbound',
        actor: 'Alice',
        text: 'Please list my Photos\nthanks \u001b[31m',
      },
      {
        sessionKey: PEER,
        at: t0 + 3000,
        kind: 'tool-call',
        actor: 'assistant',
        text: '',
        data: { tool: 'bash', args: { cmd: 'ls ~/photos' }, callId: 'c1', where: 'sandbox' },
      },
      {
        sessionKey: PEER,
        at: t0 + 4000,
        kind: 'tool-result',
        actor: 'bash',
        text: 'ls: cannot access',
        data: { tool: 'bash', callId: 'c1', ok: false, where: 'sandbox', durationMs: 42 },
      },
      {
        sessionKey: PEER,
        at: t0 + 5000,
        kind: 'assistant',
        actor: 'assistant',
        text: 'No photographs there.',
      },
      { sessionKey: 'main', at: t0 + 500, kind: 'elevated', actor: 'owner', text: 'elevated on' },
    ];
    for (const event of events) sessions.append(event);
    sessions.setElevated('main', true);
    return { env: envFor(dir), sessions };
  }

  it('prints --help for every sessions command', async () => {
    const env = envFor(stateDir());
    for (const args of [
      ['sessions'],
      ['sessions', 'list'],
      ['sessions', 'show'],
      ['sessions', 'search'],
      ['sessions', 'export'],
    ]) {
      const result = await runCli([...args, '--help'], env);
      expect(result.code, args.join(' ')).toBe(0);
      expect(result.stdout).toMatch(/^Usage: clawdbot sessions/);
    }
  });

  it('lists sessions newest activity first, as a table and as JSON', async () => {
    const { env } = seeded();
    const table = await runCli(['sessions', 'list'], env);
    expect(table.code, table.stderr).toBe(0);
    const lines = table.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(
      /^KEY\s+PROVIDER\s+PEER\s+TRUST\s+TOOLS\s+ELEVATED\s+LAST ACTIVITY\s+EVENTS$/,
    );
    expect(lines[1]).toMatch(
      /^dm:telegram:42\s+telegram\s+Alice \(42\)\s+allowed\s+sandbox\s+off\s+2026-01-0\d \d\d:\d\d\s+5$/,
    );
    expect(lines[2]).toMatch(/^main\s+telegram\s+Me \(owner\)\s+owner\s+host\s+ON\s+.*\s+1$/);

    const json = await runCli(['sessions', 'list', '--json'], env);
    expect(json.code, json.stderr).toBe(0);
    const list = JSON.parse(json.stdout) as SessionSummary[];
    expect(list.map((s) => s.key)).toEqual([PEER, 'main']);
    expect(list[0]).toEqual({
      key: PEER,
      provider: 'telegram',
      chatKind: 'dm',
      peerId: '42',
      title: 'Alice',
      trust: 'allowed',
      toolsRunIn: 'sandbox',
      elevated: false,
      createdAt: Date.UTC(2026, 0, 5, 9, 30),
      lastActivityAt: Date.UTC(2026, 0, 5, 9, 30, 5),
      eventCount: 5,
    });

    const empty = await runCli(['sessions', 'list'], envFor(stateDir()));
    expect(empty).toMatchObject({ code: 0, stdout: 'no sessions yet\n' });
  });

  it('shows a transcript readably, marking decisions and neutralising control characters', async () => {
    const { env } = seeded();
    const result = await runCli(['sessions', 'show', PEER], env);
    expect(result.code, result.stderr).toBe(0);
    const out = result.stdout;
    expect(out).toMatch(/^session dm:telegram:42: telegram dm with Alice \(42\)\n/);
    expect(out).toContain('trust allowed, tools run in sandbox, elevated off, 5 events');
    expect(out).toMatch(/ !access {6}cli: approved by owner\n/);
    expect(out).toMatch(/ inbound {5}Alice: Please list my Photos\n\s+thanks \?\[31m\n/);
    expect(out).toContain('tool-call   bash {"cmd":"ls ~/photos"} [sandbox]');
    expect(out).toContain('tool-result bash FAILED (sandbox, 42 ms): ls: cannot access');
    expect(out).toContain('assistant   assistant: No photographs there.');
    expect(out).not.toContain('\u001b');
    const order = ['!access', 'inbound', 'tool-call', 'tool-result', ' assistant'];
    const positions = order.map((k) => out.indexOf(k));
    expect(positions).toEqual([...positions].sort((a, b) => a - b));

    const main = await runCli(['sessions', 'show', 'main'], env);
    expect(main.stdout).toContain('elevated ON, 1 event\n');
    expect(main.stdout).toMatch(/ !elevated {4}owner: elevated on/);
  });

  it('shows --json as one event per line, and --limit as the latest events', async () => {
    const { env } = seeded();
    const all = await runCli(['sessions', 'show', PEER, '--json'], env);
    expect(all.code, all.stderr).toBe(0);
    const events = jsonLines(all.stdout);
    expect(events.map((e) => e.kind)).toEqual([
      'access',
      'inbound',
      'tool-call',
      'tool-result',
      'assistant',
    ]);
    expect(events[2]).toEqual({
      id: events[2]!.id,
      sessionKey: PEER,
      at: Date.UTC(2026, 0, 5, 9, 30, 3),
      time: '2026-01-05T09:30:03.000Z',
      kind: 'tool-call',
      actor: 'assistant',
      text: '',
      data: { tool: 'bash', args: { cmd: 'ls ~/photos' }, callId: 'c1', where: 'sandbox' },
    });
    const latest = await runCli(['sessions', 'show', PEER, '--json', '--limit', '2'], env);
    expect(jsonLines(latest.stdout).map((e) => e.kind)).toEqual(['tool-result', 'assistant']);
  });

  it('fails in one line on an unknown key or a bad argument', async () => {
    const { env } = seeded();
    for (const args of [
      ['sessions', 'show', 'dm:telegram:404'],
      ['sessions', 'show', 'dm:telegram:404', '--follow'],
      ['sessions', 'export', 'dm:telegram:404', '--jsonl'],
      ['sessions', 'search', 'photos', '--key', 'dm:telegram:404'],
    ]) {
      const result = await runCli(args, env);
      expectOneLineError(result, /no session "dm:telegram:404".*clawdbot sessions list/);
      expect(result.stdout).toBe('');
    }
    expectOneLineError(await runCli(['sessions', 'export', PEER], env), /needs --jsonl/);
    expectOneLineError(
      await runCli(['sessions', 'show', PEER, '--limit', 'ten'], env),
      /--limit.*whole number/,
    );
    expectOneLineError(await runCli(['sessions', 'show'], env), /missing required argument 'key'/);
    expectOneLineError(await runCli(['sessions', 'search', '  '], env), /must not be empty/);
    expectOneLineError(
      await runCli(['sessions', 'search', 'x'.repeat(201)], env),
      /at most 200 characters/,
    );
  });

  it('searches case-insensitively, by prefix, in one session or all, whatever the syntax', async () => {
    const { env, sessions } = seeded();
    sessions.append({
      sessionKey: 'main',
      at: Date.UTC(2026, 0, 6),
      kind: 'inbound',
      actor: 'owner',
      text: 'sort the photographs by date',
    });
    const texts = async (args: string[]): Promise<string[]> => {
      const result = await runCli(['sessions', 'search', ...args, '--json'], env);
      expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(0);
      return jsonLines(result.stdout).map((e) => e.text);
    };
    expect(await texts(['PHOTO'])).toEqual([
      'sort the photographs by date',
      'No photographs there.',
      'Please list my Photos\nthanks \u001b[31m',
    ]);
    expect(await texts(['photo', '--key', PEER])).toHaveLength(2);
    expect(await texts(['photog date'])).toEqual(['sort the photographs by date']);
    for (const q of [
      '"',
      '*',
      '(',
      'NEAR',
      'NEAR(photos',
      '-',
      'photo:',
      '"photo*',
      'a OR',
      '^x',
    ]) {
      await texts([q]);
    }
    expect(await texts(['photos*('])).toHaveLength(1);

    const table = await runCli(['sessions', 'search', 'cannot'], env);
    expect(table.stdout).toMatch(
      /^TIME\s+SESSION\s+KIND\s+ACTOR\s+TEXT\n.*dm:telegram:42\s+tool-result\s+bash\s+ls: cannot access\n$/,
    );
    const none = await runCli(['sessions', 'search', 'zebra'], env);
    expect(none).toMatchObject({ code: 0, stdout: 'no events match "zebra"\n' });
  });

  it('exports thousands of events completely, in order, as JSON lines', async () => {
    const { env, sessions } = seeded();
    const base = Date.UTC(2026, 1, 1);
    const many = 12_000; // more than two of the store's pages
    const db = open[0]!;
    db.transaction(() => {
      for (let i = 0; i < many; i++) {
        sessions.append({
          sessionKey: 'main',
          at: base + i,
          kind: i % 2 === 0 ? 'inbound' : 'assistant',
          actor: i % 2 === 0 ? 'owner' : 'assistant',
          text: `message ${i}`,
          data: { n: i },
        });
      }
    })();
    const result = await runCli(['sessions', 'export', 'main', '--jsonl'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toBe('');
    const events = jsonLines(result.stdout);
    expect(events).toHaveLength(many + 1);
    expect(events[0]).toMatchObject({ kind: 'elevated', text: 'elevated on' });
    const rest = events.slice(1);
    expect(rest.map((e) => e.data?.['n'])).toEqual([...Array(many).keys()]);
    for (let i = 1; i < events.length; i++)
      expect(events[i]!.id).toBeGreaterThan(events[i - 1]!.id);
    expect(rest.every((e) => e.sessionKey === 'main')).toBe(true);
    expect(rest[5]).toMatchObject({ at: base + 5, time: new Date(base + 5).toISOString() });
  });

  it('reads without taking the write lock, so a writer mid-transaction holds nothing up', async () => {
    const { env, sessions } = seeded();
    const db = open[0]!;
    // As a gateway in the middle of a write: the CLI must neither wait for it nor need it.
    db.exec('BEGIN IMMEDIATE');
    try {
      sessions.append({
        sessionKey: 'main',
        at: Date.now(),
        kind: 'inbound',
        actor: 'owner',
        text: 'uncommitted',
      });
      const started = Date.now();
      const result = await runCli(['sessions', 'show', 'main', '--json'], env);
      expect(result.code, result.stderr).toBe(0);
      expect(jsonLines(result.stdout).map((e) => e.text)).toEqual(['elevated on']);
      expect(Date.now() - started).toBeLessThan(4000); // the busy timeout is 5 s
    } finally {
      db.exec('COMMIT');
    }
  });

  it('follows a session: prints events stored later by another process, exits 0 on SIGTERM', async () => {
    const { env, sessions } = seeded();
    const follower = startCli(['sessions', 'show', PEER, '--follow'], env);
    running.push(follower);
    await follower.waitForOutput(/No photographs there\.\n/);
    const at = Date.now();
    sessions.append({
      sessionKey: PEER,
      at,
      kind: 'inbound',
      actor: 'Alice',
      text: 'one more thing',
    });
    sessions.append({ sessionKey: 'main', at, kind: 'inbound', actor: 'owner', text: 'not hers' });
    sessions.append({
      sessionKey: PEER,
      at: at + 1,
      kind: 'assistant',
      actor: 'assistant',
      text: 'go ahead',
    });
    await follower.waitForOutput(/assistant: go ahead\n/);
    expect(follower.output()).toMatch(/Alice: one more thing\n.*assistant: go ahead\n$/);
    expect(follower.output()).not.toContain('not hers');
    await follower.stop();
    expect(follower.child.exitCode).toBe(0);
  });

  it('follows as JSON lines, starting from --limit, and stops on SIGINT', async () => {
    const { env, sessions } = seeded();
    const follower = startCli(
      ['sessions', 'show', PEER, '--follow', '--json', '--limit', '1'],
      env,
    );
    running.push(follower);
    await follower.waitForOutput(/"No photographs there\."/);
    const added = sessions.append({
      sessionKey: PEER,
      at: Date.now(),
      kind: 'error',
      actor: 'system',
      text: 'model timed out',
    });
    await follower.waitForOutput(/model timed out/);
    const closed = new Promise<number | null>((resolve) => follower.child.once('close', resolve));
    follower.child.kill('SIGINT');
    expect(await closed).toBe(0);
    const lines = jsonLines(follower.output());
    expect(lines.map((e) => e.text)).toEqual(['No photographs there.', 'model timed out']);
    expect(lines[1]!.id).toBe(added.id);
  });
});
