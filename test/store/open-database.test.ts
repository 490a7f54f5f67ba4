import { statSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createKillSwitchRepo } from '../../src-main/store/kill-switch-repo.js';
import { migrations, runMigrations } from '../../src-main/store/migrations.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { useTempStateDirs } from '../helpers/temp-state.js';
import { DATABASE_FILE } from '../../src-main/state-layout.js';

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

  it('upgrades a database from any released schema to the same schema as a fresh one', () => {
    const schemaOf = (db: BetterSqlite3.Database): string[] =>
      db
        .prepare(
          "SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY name",
        )
        .pluck()
        .all() as string[];
    const fresh = new BetterSqlite3(':memory:');
    runMigrations(fresh);
    const expected = schemaOf(fresh);
    fresh.close();
    expect(expected.some((s) => s.startsWith('table inbox:'))).toBe(true);
    expect(expected.some((s) => s.startsWith('table usage_daily:'))).toBe(true);

    // What each released version left: up to 5, and main's 8 (which came after 5, with no 6 or
    // 7), so a later migration numbered at or below 8 would be skipped on such a database.
    const released = {
      5: migrations.filter((m) => m.version <= 5),
      8: migrations.filter((m) => m.version <= 5 || m.version === 8),
    };
    for (const [version, applied] of Object.entries(released)) {
      const db = new BetterSqlite3(':memory:');
      runMigrations(db, applied);
      expect(db.pragma('user_version', { simple: true })).toBe(Number(version));
      runMigrations(db);
      expect(db.pragma('user_version', { simple: true })).toBe(migrations.at(-1)!.version);
      expect(schemaOf(db)).toEqual(expected);
      db.close();
    }
    // Versions only ever grow, so each migration runs exactly once on every path.
    const versions = migrations.map((m) => m.version);
    expect(versions).toEqual([...new Set(versions)].sort((a, b) => a - b));
  });
});
