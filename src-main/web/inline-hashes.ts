import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { describeZodError } from '../../src-shared/ipc/validation.js';

/** Written by the renderer's build next to index.html: the hashes of its inline elements. */
export const INLINE_HASHES_FILE = 'inline-hashes.json';

// Only SHA-256 hashes: whatever the file says, it can allow an element with exactly that text
// and nothing else (no host, no 'unsafe-inline').
const Sha256Source = z.string().regex(/^sha256-[A-Za-z0-9+/]{43}=$/, 'a sha256-<base64> hash');
const InlineHashesSchema = z.strictObject({
  /** The page's inline first script (src-renderer/early-page.ts). */
  scripts: z.array(Sha256Source),
  /** The page's first stylesheet, inlined so the first paint fetches none. */
  styles: z.array(Sha256Source),
});

/** The hashes a renderer's policy allows inline, by kind. */
export type InlineHashes = z.infer<typeof InlineHashesSchema>;

/** No inline element: a renderer directory without the build's file (a test's own). */
export const NO_INLINE_HASHES: InlineHashes = { scripts: [], styles: [] };

// An inline element: a <script> without src, or any <style>.
const INLINE_ELEMENT = /<script(?![^>]*\ssrc=)[^>]*>|<style[\s>]/i;

/** Whether `rendererDir`'s index.html holds an inline script or style (false without one). */
function hasInlineElements(rendererDir: string): boolean {
  try {
    return INLINE_ELEMENT.test(readFileSync(join(rendererDir, 'index.html'), 'utf8'));
  } catch {
    return false;
  }
}

/**
 * The inline hashes the built renderer in `rendererDir` needs its CSP to allow. Without the
 * file, none (a renderer directory of a test's own), unless index.html has inline elements: a
 * build cut short, whose page the policy would leave unstyled. A file that is there but
 * malformed is an error that names the file, never a wider policy.
 */
export function readInlineHashes(rendererDir: string): InlineHashes {
  const file = join(rendererDir, INLINE_HASHES_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    if (!hasInlineElements(rendererDir)) return NO_INLINE_HASHES;
    throw new Error(
      `${file} is missing, but the UI's index.html has inline elements that need it: rebuild the UI (npm run build)`,
    );
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file} is not JSON: ${(error as Error).message}`);
  }
  const result = InlineHashesSchema.safeParse(parsed);
  if (!result.success) {
    throw new Error(`${file} is malformed: ${describeZodError(result.error)}`);
  }
  return result.data;
}
