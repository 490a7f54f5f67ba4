import {
  chmodSync,
  existsSync,
  lstatSync,
  realpathSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Replaces the config file in one step, keeping its mode (a new file is 0600), so a watcher
 * never reads half a config.
 */
export function writeConfigAtomically(path: string, text: string): void {
  // Through a symlink to where the config really lives, so the link stays a link.
  const target = existsSync(path) && lstatSync(path).isSymbolicLink() ? realpathSync(path) : path;
  const mode = existsSync(target) ? statSync(target).mode & 0o777 : 0o600;
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  writeFileSync(temp, text, { mode: 0o600 });
  chmodSync(temp, mode);
  renameSync(temp, target);
}
