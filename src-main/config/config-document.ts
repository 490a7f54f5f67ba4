import { readTextIfExists } from '../read-if-exists.js';
import { JsonLexer, JsonObjectNode, JsonParser, JsonTokenType } from '@croct/json5-parser';
import { isDeepStrictEqual } from 'node:util';
import JSON5 from 'json5';
import type { ConfigChange, ConfigDiffEntry } from '../../src-shared/domain/config-edit.js';
import { formatConfigPath } from '../../src-shared/domain/config-edit.js';
import { AppError } from '../../src-shared/domain/app-error.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

type Json = Record<string, unknown>;

/** The edited text, and whether the owner's comments and layout survived. */
export interface EditedConfig {
  text: string;
  /** The file's content as the edited text parses. */
  raw: Json;
  /** False when the file had to be rewritten as formatted JSON. */
  preserved: boolean;
}

/** The config file's text, or null when there is none yet (an unreadable file is an error). */
export function readConfigText(path: string): string | null {
  try {
    return readTextIfExists(path);
  } catch (error) {
    throw new AppError('UNAVAILABLE', `cannot read ${path}: ${describeError(error)}`);
  }
}

/** The file's content as an object (an absent or blank file is `{}`). */
export function parseConfigObject(text: string | null): Json {
  if (text === null || text.trim() === '') return {};
  const raw: unknown = JSON5.parse(text);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new Error('the config must be an object ({ … })');
  }
  return raw as Json;
}

/** Applies changes to a copy of the file's content: sets create the objects above them. */
export function applyConfigChanges(root: Json, changes: readonly ConfigChange[]): Json {
  const copy = structuredClone(root);
  for (const change of changes) {
    let node: Record<string | number, unknown> = copy;
    const parents = change.path.slice(0, -1);
    const last = change.path[change.path.length - 1] as string | number;
    let missing = false;
    for (const key of parents) {
      const next = node[key];
      if (typeof next !== 'object' || next === null) {
        if ('remove' in change) {
          missing = true;
          break;
        }
        node[key] = {};
      }
      node = node[key] as Record<string | number, unknown>;
    }
    if (missing) continue;
    if ('remove' in change) {
      if (Array.isArray(node) && typeof last === 'number') node.splice(last, 1);
      else delete node[last];
    } else {
      node[last] = structuredClone(change.value);
    }
  }
  return copy;
}

type Scalar = string | number | boolean;
const isScalar = (v: unknown): v is Scalar =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function literalPattern(value: Scalar): string {
  return typeof value === 'string'
    ? `(["'])${escapeRegExp(value)}\\3`
    : escapeRegExp(String(value));
}

/**
 * Replaces one scalar in place: every `key: value` occurrence in the text is a candidate, and
 * the one whose replacement parses to exactly the intended object wins, so a same-named key
 * elsewhere, or the words inside a string or comment, are never touched.
 */
function replaceScalar(text: string, key: string, from: Scalar, to: Scalar, expected: Json) {
  const pattern = new RegExp(
    `((["']?)${escapeRegExp(key)}\\2\\s*:\\s*)${literalPattern(from)}`,
    'g',
  );
  for (const match of text.matchAll(pattern)) {
    const start = match.index + (match[1] ?? '').length;
    const candidate = `${text.slice(0, start)}${JSON.stringify(to)}${text.slice(match.index + match[0].length)}`;
    try {
      if (isDeepStrictEqual(JSON5.parse(candidate), expected)) return candidate;
    } catch {
      // This occurrence was inside a string or comment; try the next.
    }
  }
  return null;
}

/**
 * Rewrites every single-quoted string in the text through `rewrite` (comments and other tokens
 * untouched). The CST parser misreads a bare `"` inside a single-quoted string, so the edit
 * escapes those quotes going in and restores them coming out: the same value either way.
 */
function mapSingleQuoted(text: string, rewrite: (body: string) => string): string {
  return JsonLexer.tokenize(text)
    .map((token) =>
      token.type === JsonTokenType.STRING && token.value.startsWith("'")
        ? `'${rewrite(token.value.slice(1, -1))}'`
        : token.value,
    )
    .join('');
}

/** A `"` not already escaped (preceded by an even number of backslashes). */
const BARE_QUOTE = /((?:^|[^\\])(?:\\\\)*)"/g;
/** A `\"` escape (its backslash not itself escaped). */
const ESCAPED_QUOTE = /((?:^|[^\\])(?:\\\\)*)\\"/g;

/** The CST edit: every change, structures included, in the style of the text around it. */
function treeEdit(text: string, target: Json): string | null {
  try {
    // Replaced twice: the pattern's matches can touch (`""`).
    const escape = (body: string): string =>
      body.replace(BARE_QUOTE, '$1\\"').replace(BARE_QUOTE, '$1\\"');
    const node = JsonParser.parse(mapSingleQuoted(text, escape), JsonObjectNode);
    node.update(target as Parameters<JsonObjectNode['update']>[0]);
    const restore = (body: string): string =>
      body.replace(ESCAPED_QUOTE, '$1"').replace(ESCAPED_QUOTE, '$1"');
    return mapSingleQuoted(node.toString(), restore);
  } catch {
    // Text the CST parser cannot read (an escape in a key name): the scalar edit may still.
    return null;
  }
}

/** The scalar edit, for text the CST parser refuses: only values that change in place. */
function scalarEdit(text: string, original: Json, target: Json): string | null {
  let current = text;
  let expected = original;
  for (const entry of diffPaths(original, target)) {
    const { path, before, after } = entry;
    if (!isScalar(before) || !isScalar(after) || typeof path[path.length - 1] !== 'string') {
      return null;
    }
    expected = applyConfigChanges(expected, [{ path, value: after }]);
    const next = replaceScalar(current, path[path.length - 1] as string, before, after, expected);
    if (next === null) return null;
    current = next;
  }
  return current;
}

/**
 * The config file's one editor: writes `target` into the JSON5 text keeping comments, key
 * order, quoting and indentation as the owner wrote them (new keys follow the style around
 * them). Settings, the setup flow and the audit's `--fix` all save through it. The result is
 * parsed back and must equal `target`; when the text cannot be edited losslessly (an escape in
 * a key name, say), it is rewritten as formatted JSON (valid JSON5) with every key kept, and
 * `preserved` says so, so the caller can tell the owner.
 */
export function writeConfigObject(text: string | null, target: Json): EditedConfig {
  const formatted = { text: `${JSON.stringify(target, null, 2)}\n`, raw: target };
  if (text === null || text.trim() === '') return { ...formatted, preserved: true };
  let original: Json;
  try {
    original = parseConfigObject(text);
  } catch {
    return { ...formatted, preserved: false };
  }
  for (const edited of [treeEdit(text, target), scalarEdit(text, original, target)]) {
    try {
      if (edited !== null && isDeepStrictEqual(JSON5.parse(edited), target)) {
        return { text: edited, raw: target, preserved: true };
      }
    } catch {
      // An edit that does not parse back is not used.
    }
  }
  return { ...formatted, preserved: false };
}

type Segment = string | number;

function diffPaths(
  before: unknown,
  after: unknown,
  path: Segment[] = [],
): { path: Segment[]; before: unknown; after: unknown }[] {
  const isObject = (v: unknown): v is Json =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  // A key added or removed with an object under it shows as the leaves it adds or removes.
  const walk =
    (isObject(before) || before === undefined) &&
    (isObject(after) || after === undefined) &&
    (isObject(before) || isObject(after));
  if (walk) {
    const from: Json = isObject(before) ? before : {};
    const to: Json = isObject(after) ? after : {};
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])];
    return keys.flatMap((key) => diffPaths(from[key], to[key], [...path, key]));
  }
  return isDeepStrictEqual(before, after) ? [] : [{ path, before, after }];
}

/** Every key whose value differs between two versions of the file, objects walked, lists whole. */
export function diffConfig(before: unknown, after: unknown): ConfigDiffEntry[] {
  return diffPaths(before, after).map(({ path, before: from, after: to }) => {
    const entry: ConfigDiffEntry = { path: formatConfigPath(path) };
    if (from !== undefined) entry.before = from as ConfigDiffEntry['before'];
    if (to !== undefined) entry.after = to as ConfigDiffEntry['after'];
    return entry;
  });
}
