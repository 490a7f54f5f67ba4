import { accessSync, constants, statSync } from 'node:fs';
import { isShared } from '../../audit/checks-files.js';
import { listWords } from '../../audit/finding-helpers.js';
import { defineCheck } from '../doctor-context.js';

/**
 * The state directory: there (or creatable), writable by this user, and private. Files others
 * can read are fixed by `--fix` (chmod only ever takes permissions away).
 */
export const checkStateDir = defineCheck('state.dir', 'State directory', (context, facts, o) => {
  const dir = context.stateDir;
  let stats;
  try {
    stats = statSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return o.info(`${dir} does not exist yet: the first start creates it (0700)`);
    }
    return o.error(
      `${dir} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      `make it yours (\`sudo chown -R "$(id -un)" ${dir}\`) or set CLAWDBOT_STATE_DIR to a directory you can write`,
    );
  }
  if (!stats.isDirectory()) {
    return o.error(
      `${dir} is not a directory`,
      `move it away, or set CLAWDBOT_STATE_DIR to a directory`,
    );
  }
  const uid = process.getuid?.();
  let writable = true;
  try {
    accessSync(dir, constants.W_OK | constants.X_OK);
  } catch {
    writable = false;
  }
  if (!writable || (uid !== undefined && stats.uid !== uid)) {
    return o.error(
      `${dir} ${writable ? `belongs to another user (uid ${stats.uid})` : 'is not writable by this user'}: nothing can be saved`,
      `make it yours (\`sudo chown -R "$(id -un)" ${dir}\`) or set CLAWDBOT_STATE_DIR to a directory you can write`,
    );
  }
  const shared = facts.files.files.filter((file) => isShared(file.mode));
  if (shared.length > 0) {
    const named = shared.map((f) => `${f.path} (${f.mode.toString(8).padStart(3, '0')})`);
    return o.warning(
      `other users can read ${listWords(named)}`,
      `chmod 700 for directories, 600 for files: ${shared.map((f) => f.path).join(' ')}`,
      true,
    );
  }
  return o.ok(`${dir}, private to this user`);
});
