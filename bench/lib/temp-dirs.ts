import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Temporary directories a bench creates (fresh state dirs, scratch files), removed together by
 * `removeAll` when the bench ends, fails or is interrupted, so runs leave nothing behind.
 */
export class TempDirs {
  private readonly dirs: string[] = [];

  /** Creates a new empty directory under the system temp dir, named `<prefix>XXXXXX`. */
  make(prefix: string): string {
    const dir = mkdtempSync(join(tmpdir(), prefix));
    this.dirs.push(dir);
    return dir;
  }

  /** Removes every directory made so far (and whatever the bench put in them). */
  removeAll(): void {
    for (const dir of this.dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  }
}
