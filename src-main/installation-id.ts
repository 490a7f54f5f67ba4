import { readTextIfExists } from './read-if-exists.js';
import { randomBytes } from 'node:crypto';
import { linkSync, unlinkSync, writeFileSync } from 'node:fs';
import { ensureStateDir, installationIdFile, stateDirError } from './state-layout.js';

/** What an installation id looks like: 32 lowercase hex digits (128 random bits). */
const INSTALLATION_ID = /^[0-9a-f]{32}$/;

/**
 * This state directory's installation id, created on first use: a random id that labels every
 * sandbox container this installation creates, so listing, pruning and the kill switch act on
 * its own containers only, even when another Clawdbot (another state directory, another user,
 * a test) uses the same Docker engine.
 *
 * Created atomically: the id is written to a private temporary file and hard-linked into place,
 * which fails if the file exists, so two processes starting at once both end up reading the one
 * that won, and nobody ever reads a half-written file. A file that holds anything else is an
 * error naming it, never silently replaced: a new id would orphan every existing sandbox.
 */
export function installationId(stateDir: string): string {
  const file = installationIdFile(stateDir);
  const existing = readId(file);
  if (existing !== null) return existing;
  ensureStateDir(stateDir);
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    writeFileSync(temp, `${randomBytes(16).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
    try {
      linkSync(temp, file);
    } catch (error) {
      // Another process created it first: its id is the one.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  } catch (error) {
    throw stateDirError(stateDir, error) ?? error;
  } finally {
    try {
      unlinkSync(temp);
    } catch {
      // Never created (the write failed): nothing to clean up.
    }
  }
  const created = readId(file);
  if (created === null) throw new Error(`${file} vanished while it was being created`);
  return created;
}

/** The id in `file`; null when there is no file; an error naming the file when it is not an id. */
function readId(file: string): string | null {
  const text = readTextIfExists(file);
  if (text === null) return null;
  const id = text.trim();
  if (!INSTALLATION_ID.test(id)) {
    throw new Error(
      `${file} does not hold an installation id (32 hex digits); restore it from a backup, or delete it to start a new installation (the kill switch with --all-installations then removes the old one's sandboxes)`,
    );
  }
  return id;
}

/**
 * This state directory's installation id if it has one, without creating it (for read-only
 * checks such as `clawdbot doctor`); an error naming the file when it does not hold an id.
 */
export function existingInstallationId(stateDir: string): string | null {
  return readId(installationIdFile(stateDir));
}
