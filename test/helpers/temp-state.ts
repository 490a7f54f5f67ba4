import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';

/** A fresh state directory per test, removed afterwards. */
export function useTempStateDirs(): () => string {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  return () => {
    const dir = mkdtempSync(join(tmpdir(), 'clawdbot-test-'));
    dirs.push(dir);
    return join(dir, 'state');
  };
}

/** A temporary root and the state directory inside it, as a UI test's supervisor uses them. */
export interface StateRoot {
  /** Removed by the test afterwards (logs and other files go here too). */
  root: string;
  /** `<root>/state`, private to the owner like a real one. */
  stateDir: string;
  /** The state directory's config file, written when a config was given. */
  configPath: string;
}

/**
 * Makes a temporary root with a state directory (mode 0700) and, when `config` is given, its
 * config file: an object as JSON, a string as it is (JSON5, comments kept).
 */
export function makeStateRoot(prefix: string, config?: object | string): StateRoot {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const stateDir = join(root, 'state');
  mkdirSync(stateDir, { mode: 0o700 });
  const configPath = join(stateDir, 'clawdbot.json');
  if (config !== undefined) {
    writeFileSync(configPath, typeof config === 'string' ? config : JSON.stringify(config));
  }
  return { root, stateDir, configPath };
}
