import JSON5 from 'json5';

/** One value to change in the config file, found by its key path. */
export interface ConfigEdit {
  path: readonly string[];
  from: string | boolean;
  to: string | boolean;
}

/** The edited text, and whether the owner's comments and layout survived. */
export interface EditedConfig {
  text: string;
  /** False when the file had to be rewritten as formatted JSON. */
  preserved: boolean;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function literalPattern(value: string | boolean): string {
  return typeof value === 'boolean' ? String(value) : `(["'])${escapeRegExp(value)}\\3`;
}

function withValue(root: unknown, path: readonly string[], value: unknown): unknown {
  const copy = structuredClone(root) as Record<string, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path[path.length - 1] as string] = value;
  return copy;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Applies one edit in place: every `key: value` occurrence in the text is a candidate, and the
 * one whose replacement parses to exactly the intended object wins. Comments, key order and
 * layout stay as the owner wrote them; a same-named key elsewhere is never touched.
 */
function editInPlace(text: string, edit: ConfigEdit, expected: unknown): string | null {
  const key = escapeRegExp(edit.path[edit.path.length - 1] as string);
  const pattern = new RegExp(`((["']?)${key}\\2\\s*:\\s*)${literalPattern(edit.from)}`, 'g');
  for (const match of text.matchAll(pattern)) {
    const start = match.index + (match[1] ?? '').length;
    const candidate = `${text.slice(0, start)}${JSON.stringify(edit.to)}${text.slice(match.index + match[0].length)}`;
    try {
      if (same(JSON5.parse(candidate), expected)) return candidate;
    } catch {
      // This occurrence was inside a string or comment; try the next.
    }
  }
  return null;
}

/**
 * Applies the edits to JSON5 text. Each is made in place when it can be verified; otherwise the
 * whole file is rewritten as formatted JSON (valid JSON5) with every key kept, and `preserved`
 * says so, so the caller can tell the owner their comments went.
 */
export function editConfigText(text: string, edits: readonly ConfigEdit[]): EditedConfig {
  const original: unknown = JSON5.parse(text);
  let target = original;
  let current = text;
  let preserved = true;
  for (const edit of edits) {
    target = withValue(target, edit.path, edit.to);
    const next = preserved ? editInPlace(current, edit, target) : null;
    if (next === null) preserved = false;
    else current = next;
  }
  return preserved
    ? { text: current, preserved }
    : { text: `${JSON.stringify(target, null, 2)}\n`, preserved };
}
