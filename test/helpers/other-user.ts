import { chownSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Whether the tests run as root (CI and the development machine do). */
export const runningAsRoot = process.getuid?.() === 0;

/** The unprivileged account a root test run borrows. */
export const NOBODY = { uid: 65534, gid: 65534 };

/**
 * How to run a command as a user who owns nothing here and is in no group (not `docker`): as
 * root, through `setpriv` as nobody; otherwise the test user already is such a user.
 */
export function unprivilegedWrapper(): string[] {
  return runningAsRoot
    ? ['setpriv', `--reuid=${NOBODY.uid}`, `--regid=${NOBODY.gid}`, '--clear-groups', '--']
    : [];
}

/** A home directory for that user (pass it as HOME: the environment is passed on as it is). */
export function unprivilegedHome(): string {
  const home = mkdtempSync(join(tmpdir(), 'clawdbot-home-'));
  if (runningAsRoot) chownSync(home, NOBODY.uid, NOBODY.gid);
  return home;
}
