/**
 * The other processes of the notify-latency figures: the approver and the ping child (this
 * bench's entry re-run with a flag), the built CLI, and how the parent runs them.
 */
import BetterSqlite3 from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createAccessStore } from '../../src-main/access/access-store.js';
import { PairingService } from '../../src-main/access/pairing-service.js';
import { openDatabase } from '../../src-main/store/open-database.js';
import { benchEntry, repoRoot } from '../lib/paths.js';
import { assert } from './context.js';
import { PROVIDER } from './fixtures.js';

/** Child mode: approve one pairing code with notify, as `clawdbot pairing approve` does. */
export const APPROVER_FLAG = '--approver-child';
/** Child mode: commit one row to a scratch database. */
export const PING_FLAG = '--ping-child';

/** The built CLI, whose `pairing approve --notify` is one of the approvers. */
export const cliBin = join(repoRoot, 'bin', 'clawdbot.js');

/** Child mode's main: approve one code, or commit one row; prints the commit time. */
export function childMain(flag: string, args: string[]): void {
  if (flag === APPROVER_FLAG) {
    const [stateDir, code] = args;
    assert(stateDir && code, `usage: ${APPROVER_FLAG} <stateDir> <code>`);
    const db = openDatabase(stateDir);
    const service = new PairingService(createAccessStore(db));
    service.approve(PROVIDER, code, { notify: true, actor: 'cli' });
    const committedAt = Date.now();
    db.close();
    process.stdout.write(`${JSON.stringify({ committedAt })}\n`);
  } else {
    const [file] = args;
    assert(file, `usage: ${PING_FLAG} <dbFile>`);
    const db = new BetterSqlite3(file);
    db.pragma('busy_timeout = 5000');
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    const insert = db.prepare('INSERT INTO ping (at) VALUES (?)');
    db.transaction(() => insert.run(Date.now())).immediate();
    const committedAt = Date.now();
    db.close();
    process.stdout.write(`${JSON.stringify({ committedAt })}\n`);
  }
}

/** When a child was spawned and exited, and the commit time it printed (if it prints one). */
export interface ChildResult {
  spawnedAt: number;
  exitedAt: number;
  committedAt: number | null;
  stdout: string;
}

/** Runs a command to completion; rejects on a non-zero exit, with its output. */
export function runChild(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const spawnedAt = Date.now();
    const child = spawn(command, args, { cwd: repoRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const exitedAt = Date.now();
      if (code !== 0) {
        reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.trim() || stdout.trim()}`));
        return;
      }
      const match = /\{"committedAt":(\d+)\}/.exec(stdout);
      resolve({ spawnedAt, exitedAt, committedAt: match ? Number(match[1]) : null, stdout });
    });
  });
}

/** bench/gate.ts again, under tsx (this process's loader flags), in child mode `flag`. */
export function runBenchChild(flag: string, args: string[]): Promise<ChildResult> {
  const entry = benchEntry('gate');
  return runChild(process.execPath, [...process.execArgv, entry, flag, ...args], process.env);
}

/** Whether the built CLI has `pairing approve --notify` (it may be older than the sources). */
export function cliApproveAvailable(): boolean {
  if (!existsSync(cliBin)) return false;
  const help = spawnSync(process.execPath, [cliBin, 'pairing', 'approve', '--help'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 30_000,
  });
  return help.status === 0 && /--notify/.test(help.stdout + help.stderr);
}
