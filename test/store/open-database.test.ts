import { statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createKillSwitchRepo } from '../../src-main/store/kill-switch-repo.js';
import { migrations, runMigrations } from '../../src-main/store/migrations.js';
import { DATABASE_FILE, openDatabase } from '../../src-main/store/open-database.js';
import { useTempStateDirs } from '../helpers/temp-state.js';

describe('the state database', () => {
  const stateDir = useTempStateDirs();

  it('creates the state directory 0700 and the database 0600, in WAL mode, migrated', () => {
    const dir = stateDir();
    const db = openDatabase(dir);
    try {
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, DATABASE_FILE)).mode & 0o777).toBe(0o600);
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
      expect(createKillSwitchRepo(db).read()).toMatchObject({ engaged: false, lastReport: null });
    } finally {
      db.close();
    }
  });

  it('migrates once: reopening keeps data and the version', () => {
    const dir = stateDir();
    const first = openDatabase(dir);
    createKillSwitchRepo(first).engage('kept', 'cli', 123);
    first.close();
    const second = openDatabase(dir);
    expect(createKillSwitchRepo(second).read()).toMatchObject({
      engaged: true,
      reason: 'kept',
      engagedAt: 123,
    });
    second.close();
  });

  it('refuses a database from a newer Clawdbot instead of corrupting it', () => {
    const db = new BetterSqlite3(':memory:');
    db.pragma('user_version = 999');
    expect(() => runMigrations(db)).toThrow(/schema version 999 is newer/);
    db.close();
  });

  it('applies only the migrations above the current version, in order', () => {
    const db = new BetterSqlite3(':memory:');
    const applied = [
      { version: 1, name: 'a', sql: 'CREATE TABLE a (x)' },
      { version: 2, name: 'b', sql: 'CREATE TABLE b (x)' },
    ];
    runMigrations(db, applied.slice(0, 1));
    expect(runMigrations(db, applied)).toBe(2);
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .pluck()
      .all();
    expect(tables).toEqual(['a', 'b']);
    db.close();
  });
});
