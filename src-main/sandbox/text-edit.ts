import { SandboxFileError } from './sandbox-errors.js';

/**
 * Replaces the single occurrence of `oldText` in `text` with `newText`: the `edit` tool's
 * rule. Missing or repeated `oldText` fails (overlapping repeats count), so an edit is never a
 * guess. Splices by index rather than `String.replace`, which would expand `$&` and friends
 * in `newText`.
 */
export function replaceExactlyOnce(
  text: string,
  oldText: string,
  newText: string,
  path: string,
): string {
  if (oldText === '') throw new SandboxFileError('not-found', 'oldText must not be empty');
  const first = text.indexOf(oldText);
  if (first === -1) {
    throw new SandboxFileError('not-found', `oldText was not found in ${path}; nothing changed`);
  }
  if (text.indexOf(oldText, first + 1) !== -1) {
    let count = 0;
    for (let i = text.indexOf(oldText); i !== -1; i = text.indexOf(oldText, i + 1)) count++;
    throw new SandboxFileError(
      'ambiguous',
      `oldText occurs ${count} times in ${path}; include more context so it matches once. Nothing changed`,
    );
  }
  return text.slice(0, first) + newText + text.slice(first + oldText.length);
}
