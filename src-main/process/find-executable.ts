import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Where root's tools live (debootstrap), often missing from a non-root PATH. */
export const SBIN_DIRS: readonly string[] = ['/usr/sbin', '/sbin', '/usr/local/sbin'];

/**
 * Finds a program on PATH, then in `extraDirs` (the sbin directories a non-root PATH often
 * lacks, for tools such as debootstrap); null when it is nowhere.
 */
export function findExecutable(
  name: string,
  env: NodeJS.ProcessEnv = process.env,
  extraDirs: readonly string[] = [],
): string | null {
  for (const dir of [...(env['PATH'] ?? '').split(delimiter), ...extraDirs]) {
    if (!dir) continue;
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // Not here.
    }
  }
  return null;
}
