import { readFileSync } from 'node:fs';

/**
 * A UTF-8 file's text, or null when there is no such file: for the files Clawdbot writes only
 * once something happened (the installation id, the engines used, the config) or that the user
 * may not have (`known_hosts`). Any other failure (permissions, a directory) is thrown as it is,
 * so an unreadable file is never mistaken for an absent one.
 */
export function readTextIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
