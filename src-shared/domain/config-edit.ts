import { z } from 'zod';
import { ConfigHealthSchema } from './config-status.js';

/** How deep a key path in the config can go (`agent.elevated.allowFrom.telegram[0]` is 5). */
export const MAX_CONFIG_PATH_DEPTH = 8;
/** At most this many changes in one save: a form's worth, not a file's rewrite. */
export const MAX_CONFIG_CHANGES = 200;

/** A key path in the config file: keys, and indexes into lists. */
export const ConfigPathSchema = z
  .array(z.union([z.string().min(1).max(200), z.number().int().min(0).max(10_000)]))
  .min(1, 'a change needs a key path')
  .max(MAX_CONFIG_PATH_DEPTH);
/** A key path in the config file. */
export type ConfigPath = z.infer<typeof ConfigPathSchema>;

/**
 * One change to the config file: set the value at `path` (creating the objects above it), or
 * remove the key (`remove: true`), so the default applies again.
 */
export const ConfigChangeSchema = z.union([
  z.strictObject({ path: ConfigPathSchema, value: z.json() }),
  z.strictObject({ path: ConfigPathSchema, remove: z.literal(true) }),
]);
/** One change to the config file. */
export type ConfigChange = z.infer<typeof ConfigChangeSchema>;

/** A proposed set of changes, as the Settings forms and the setup flow send it. */
export const ConfigChangesInputSchema = z.strictObject({
  changes: z.array(ConfigChangeSchema).min(1).max(MAX_CONFIG_CHANGES),
});

/** One validation problem, with the dotted key path of the field it belongs to. */
export const ConfigIssueSchema = z.object({
  /** e.g. `telegram.allowFrom[0]`; empty for the file as a whole. */
  path: z.string(),
  message: z.string(),
});
/** One validation problem. */
export type ConfigIssue = z.infer<typeof ConfigIssueSchema>;

/** One key whose value in the file changes; `undefined` (absent) means "not in the file". */
export const ConfigDiffEntrySchema = z.object({
  path: z.string(),
  before: z.json().optional(),
  after: z.json().optional(),
});
/** One key whose value in the file changes. */
export type ConfigDiffEntry = z.infer<typeof ConfigDiffEntrySchema>;

/** What a proposed change would do: the field errors (none when valid) and what would change. */
export const ConfigPreviewSchema = z.object({
  valid: z.boolean(),
  issues: z.array(ConfigIssueSchema),
  diff: z.array(ConfigDiffEntrySchema),
});
/** What a proposed change would do. */
export type ConfigPreview = z.infer<typeof ConfigPreviewSchema>;

/**
 * The config as the Settings view edits it: the file's content (secrets left out and named in
 * `secretsSet`), the effective config with defaults applied, and which config is in force.
 */
export const ConfigViewSchema = z.object({
  path: z.string(),
  exists: z.boolean(),
  state: ConfigHealthSchema,
  /** Why the file is rejected (empty when valid): Settings cannot save until it is fixed. */
  errors: z.array(z.string()),
  /** What the file says, without the values of secret keys. */
  file: z.record(z.string(), z.json()),
  /** The config in force, defaults applied, without the values of secret keys. */
  effective: z.record(z.string(), z.json()),
  /** Secret keys that have a value in the file (e.g. `telegram.botToken`), never the value. */
  secretsSet: z.array(z.string()),
});
/** The config as the Settings view edits it. */
export type ConfigView = z.infer<typeof ConfigViewSchema>;

/** What a save did: saved (with the diff and whether comments survived) or refused (issues). */
export const ConfigSaveResultSchema = ConfigPreviewSchema.extend({
  saved: z.boolean(),
  /** False when the file had to be rewritten as formatted JSON (it could not be parsed losslessly). */
  commentsKept: z.boolean(),
  view: ConfigViewSchema,
});
/** What a save did. */
export type ConfigSaveResult = z.infer<typeof ConfigSaveResultSchema>;

/** Formats a key path the way validation messages do: `a.b[0].c`. */
export function formatConfigPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, part) => {
    if (typeof part === 'number') return `${out}[${part}]`;
    const key = String(part);
    return out ? `${out}.${key}` : key;
  }, '');
}
