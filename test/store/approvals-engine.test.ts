import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createApprovalsRepo } from '../../src-main/store/approvals-repo.js';
import { migrations, runMigrations } from '../../src-main/store/migrations.js';
import { ApprovalRequestSchema } from '../../src-shared/domain/approvals.js';
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

      const repo = createApprovalsRepo(db);
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
