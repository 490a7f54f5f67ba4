import { readFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import JSON5 from 'json5';
import { ConfigSchema, defaultConfig, type Config } from '../../src-shared/config/schema.js';
import { describeConfigIssues } from '../../src-shared/config/describe-issues.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** The outcome of reading the config file: a config, or every reason it was rejected. */
export type ConfigResult =
  | {
      ok: true;
      config: Config;
      path: string;
      exists: boolean;
      /** The file's content as parsed, before defaults (what the last good config store keeps). */
      raw: unknown;
    }
  | { ok: false; path: string; errors: string[] };

/** Validates already-read config text. A file that does not exist means the safe defaults. */
export function parseConfigText(text: string | null, path: string): ConfigResult {
  if (text === null) return { ok: true, config: defaultConfig, path, exists: false, raw: {} };
  let raw: unknown;
  try {
    raw = text.trim() === '' ? {} : JSON5.parse(text);
  } catch (error) {
    // JSON5's messages carry the line and column: "JSON5: invalid character 'x' at 3:7".
    return {
      ok: false,
      path,
      errors: [`${path}: ${describeError(error)}`],
    };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    return { ok: false, path, errors: [`${path}: the config must be an object ({ … })`] };
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, path, errors: describeConfigIssues(parsed.error) };
  return { ok: true, config: parsed.data, path, exists: true, raw };
}

function missing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** Reads and validates the config file. Never throws for bad content: errors are returned. */
export async function loadConfig(path: string): Promise<ConfigResult> {
  try {
    return parseConfigText(await readFile(path, 'utf8'), path);
  } catch (error) {
    if (missing(error)) return parseConfigText(null, path);
    return { ok: false, path, errors: [`${path}: cannot read: ${describeError(error)}`] };
  }
}

/** The synchronous form, for the CLI and start-up. */
export function loadConfigSync(path: string): ConfigResult {
  try {
    return parseConfigText(readFileSync(path, 'utf8'), path);
  } catch (error) {
    if (missing(error)) return parseConfigText(null, path);
    return { ok: false, path, errors: [`${path}: cannot read: ${describeError(error)}`] };
  }
}
