import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeZodError } from '../../src-shared/ipc/validation.js';

/** Written by the renderer's build next to index.html: the hashes of its inline scripts. */
export const INLINE_SCRIPT_HASHES_FILE = 'inline-script-hashes.json';

// Only SHA-256 hashes: whatever the file says, it can allow a script with exactly that text and
// nothing else (no host, no 'unsafe-inline').
const HashesFileSchema = z.strictObject({
  scriptHashes: z.array(z.string().regex(/^sha256-[A-Za-z0-9+/]{43}=$/, 'a sha256-<base64> hash')),
});

/**
 * The inline script hashes the built renderer in `rendererDir` needs its CSP to allow. A build
 * without the file (a renderer directory of a test's own) has no inline script: none. A file
 * that is there but malformed is an error that names the file, never a wider policy.
 */
export function readInlineScriptHashes(rendererDir: string): string[] {
  const file = join(rendererDir, INLINE_SCRIPT_HASHES_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
  const result = HashesFileSchema.safeParse(parsed);
  if (!result.success) {
    throw new Error(`${file} is malformed: ${describeZodError(result.error)}`);
  }
  return result.data.scriptHashes;
}
