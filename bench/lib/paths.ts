import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The bench/ folder, resolved from this file so a bench runs the same from any working directory. */
export const benchDir = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The repository root: children are spawned here, and the build is checked here. */
export const repoRoot = join(benchDir, '..');

/** The file every bench records its results in, each in its own marked section. */
export const resultsFile = join(benchDir, 'RESULTS.md');

/**
 * The entry script of the bench `name` (`bench/<name>.ts`). Benches that need a helper process
 * re-run their entry in a child mode, so the child loads exactly the modules the bench does.
 */
export function benchEntry(name: string): string {
  return join(benchDir, `${name}.ts`);
}
