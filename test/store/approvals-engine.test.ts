import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createLogger, silentLogger } from '../../src-main/logging/logger.js';
import { createApprovalsRepo } from '../../src-main/store/approvals-repo.js';
import { migrations, runMigrations } from '../../src-main/store/migrations.js';
import { ApprovalRequestSchema } from '../../src-shared/domain/approvals.js';
import { approvalRunsOn } from '../../src-shared/format/approval-runs-on.js';
import { newApproval, pendingApproval } from '../helpers/approval-request.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

/** Where approval requests keep the engine and runtime they were asked for. */
describe('the engine recorded with an approval request', () => {
  const newStateDir = useTempStateDirs();
  const openFile = (): BetterSqlite3.Database => {
    const dir = newStateDir();
    mkdirSync(dir, { recursive: true });
    return new BetterSqlite3(join(dir, 'state.sqlite'));
  };

  it('reads requests stored before it was recorded as not recorded, and records new ones', () => {
    const db = openFile();
    try {
      // The schema as the last release before the engine was recorded left it, with a sandbox
      // request and a host request in it.
      runMigrations(
        db,
        migrations.filter((m) => m.version < 25),
      );
      const insertOld = db.prepare(
        `INSERT INTO approvals (id, session_key, command, location, cwd, sender_id, provider,
           message, requested_at, expires_at)
         VALUES (?, 'dm:telegram:1', 'echo old', ?, '/workspace', '1', 'telegram', '', 1, 2)`,
      );
      insertOld.run('oldsbx', 'sandbox');
      insertOld.run('oldhst', 'host');
      runMigrations(db);

      const repo = createApprovalsRepo(db, silentLogger);
      expect(repo.get('oldsbx')).toMatchObject({ where: 'sandbox', engine: null });
      expect(repo.get('oldhst')).toMatchObject({ where: 'host', engine: null });

      repo.insert(
        newApproval('newsbx', 'echo new', {
          where: 'sandbox',
          engine: { endpoint: 'ssh://ci@build:22', runtime: 'runsc' },
        }),
      );
      repo.insert(
        newApproval('newdef', 'echo new', {
          where: 'sandbox',
          engine: { endpoint: 'unix:///var/run/docker.sock', runtime: null },
        }),
      );
      // A host request runs on this computer: an engine handed along with it is not kept.
      repo.insert(
        newApproval('newhst', 'echo new', {
          engine: { endpoint: 'unix:///var/run/docker.sock', runtime: null },
        }),
      );
      expect(repo.get('newsbx')?.engine).toEqual({
        endpoint: 'ssh://ci@build:22',
        runtime: 'runsc',
      });
      expect(repo.get('newdef')?.engine).toEqual({
        endpoint: 'unix:///var/run/docker.sock',
        runtime: null,
      });
      expect(repo.get('newhst')).toMatchObject({ where: 'host', engine: null });
    } finally {
      db.close();
    }
  });

  it('warns, once, of a stored record that is there but malformed, naming the request and what is wrong, and reads it as not recorded', () => {
    const db = openFile();
    try {
      runMigrations(db);
      const lines: Record<string, unknown>[] = [];
      const log = createLogger({
        process: 'test',
        write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>),
      });
      const repo = createApprovalsRepo(db, log);
      const ids = ['bdepbl', 'bdempt', 'bdrun3', 'bdbyte', 'bdrtem', 'goodrq', 'hostrq', 'nonerq'];
      for (const id of ids) {
        repo.insert(
          newApproval(id, 'make test', {
            where: id === 'hostrq' ? 'host' : 'sandbox',
            engine: { endpoint: 'tcp://build:2376', runtime: 'runsc' },
          }),
        );
      }
      // What a bad write, a hand edit or a damaged file may leave in the two columns.
      const store = db.prepare(
        'UPDATE approvals SET engine_endpoint = ?, engine_runtime = ? WHERE id = ?',
      );
      store.run(Buffer.from('tcp://build:2376'), 'runsc', 'bdepbl');
      store.run('  ', null, 'bdempt');
      store.run(null, 'runsc', 'bdrun3');
      store.run('tcp://build:2376', Buffer.from('runsc'), 'bdbyte');
      store.run('tcp://build:2376', '', 'bdrtem');
      // Not recorded at all (stored before it was): nothing to warn of.
      store.run(null, null, 'nonerq');

      const read = () => Object.fromEntries(repo.pending().map((r) => [r.id, approvalRunsOn(r)]));
      expect(read()).toEqual({
        bdepbl: 'sandbox (engine not recorded)',
        bdempt: 'sandbox (engine not recorded)',
        bdrun3: 'sandbox (engine not recorded)',
        bdbyte: 'sandbox (engine not recorded)',
        bdrtem: 'sandbox (engine not recorded)',
        goodrq: 'sandbox on tcp://build:2376, runsc',
        hostrq: 'this computer (host)',
        nonerq: 'sandbox (engine not recorded)',
      });
      for (const id of ids.slice(0, 5)) expect(repo.get(id)?.engine).toBeNull();
      const warnings = lines.filter((l) => l.level === 'warn');
      expect(warnings.map((l) => [l['approval'], l['problem']]).sort()).toEqual([
        ['bdbyte', 'engine_runtime holds a blob, not text'],
        ['bdempt', 'engine_endpoint is empty'],
        ['bdepbl', 'engine_endpoint holds a blob, not text'],
        ['bdrtem', 'engine_runtime is empty'],
        ['bdrun3', 'engine_runtime is set without engine_endpoint'],
      ]);
      for (const warning of warnings) expect(warning['msg']).toMatch(/malformed engine record/);
      // Read again (the supervisor reads on every database change): not warned of again.
      read();
      expect(lines.filter((l) => l.level === 'warn')).toHaveLength(5);
    } finally {
      db.close();
    }
  });

  it('parses a request without a record, or with a malformed one, as not recorded', () => {
    const base = pendingApproval('abcdef', 'ls');
    const { engine, ...absent } = base;
    void engine;
    expect(ApprovalRequestSchema.parse(absent).engine).toBeNull();
    expect(ApprovalRequestSchema.parse({ ...base, engine: { endpoint: 42 } }).engine).toBeNull();
    expect(ApprovalRequestSchema.parse({ ...base, engine: 'docker' }).engine).toBeNull();
    expect(
      ApprovalRequestSchema.parse({
        ...base,
        engine: { endpoint: 'tcp://build:2376', runtime: null },
      }).engine,
    ).toEqual({ endpoint: 'tcp://build:2376', runtime: null });
  });
});
