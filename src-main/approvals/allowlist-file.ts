import { existsSync, readFileSync } from 'node:fs';
import JSON5 from 'json5';
import { AllowEntrySchema, type AllowEntry } from '../../src-shared/config/approvals-schema.js';
import { ConfigSchema } from '../../src-shared/config/schema.js';
import { describeConfigIssues } from '../../src-shared/config/describe-issues.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { writeConfigAtomically } from '../config/write-config-file.js';

/** What an allowlist edit did, or why it could not. */
export type AllowlistEdit =
  { ok: true; allowlist: AllowEntry[]; changed: boolean } | { ok: false; error: string };

type Json = Record<string, unknown>;

const sameEntry = (a: AllowEntry, b: Pick<AllowEntry, 'command' | 'match' | 'where'>): boolean =>
  a.command === b.command && a.match === b.match && a.where === b.where;

/**
 * Changes `agent.approvals.allowlist` in the config file: reads it, applies `change` to the list
 * in force (the seeded defaults when the file has none), checks the whole config still
 * validates, and replaces the file in one step. The watchers of every process pick it up. The
 * file is rewritten as formatted JSON (valid JSON5), so comments in it do not survive an edit.
 */
function editAllowlist(
  configPath: string,
  change: (list: AllowEntry[]) => AllowEntry[] | { error: string },
): AllowlistEdit {
  try {
    const text = existsSync(configPath) ? readFileSync(configPath, 'utf8') : '{}';
    const root: Json = JSON5.parse<Json | null>(text) ?? {};
    const parsed = ConfigSchema.safeParse(root);
    if (!parsed.success) {
      return {
        ok: false,
        error: `the config file ${configPath} is invalid, fix it first: ${describeConfigIssues(parsed.error).join('; ')}`,
      };
    }
    const before = parsed.data.agent.approvals.allowlist;
    const after = change(before.map((e) => ({ ...e })));
    if ('error' in after) return { ok: false, error: after.error };
    const agent = (root['agent'] ?? {}) as Json;
    const approvals = (agent['approvals'] ?? {}) as Json;
    const next = { ...root, agent: { ...agent, approvals: { ...approvals, allowlist: after } } };
    const checked = ConfigSchema.safeParse(next);
    if (!checked.success) {
      return { ok: false, error: describeConfigIssues(checked.error).join('; ') };
    }
    const changed = JSON.stringify(before) !== JSON.stringify(after);
    if (changed) writeConfigAtomically(configPath, `${JSON.stringify(next, null, 2)}\n`);
    return { ok: true, allowlist: checked.data.agent.approvals.allowlist, changed };
  } catch (error) {
    return { ok: false, error: `could not edit ${configPath}: ${describeError(error)}` };
  }
}

/** Adds an entry (a bad pattern or an empty command is refused, naming what was wrong). */
export function addAllowEntry(configPath: string, input: unknown): AllowlistEdit {
  const entry = AllowEntrySchema.safeParse(input);
  if (!entry.success) return { ok: false, error: describeConfigIssues(entry.error).join('; ') };
  return editAllowlist(configPath, (list) =>
    list.some((e) => sameEntry(e, entry.data)) ? list : [...list, entry.data],
  );
}

/** Removes the entry with this command, match and where (the defaults included). */
export function removeAllowEntry(
  configPath: string,
  target: Pick<AllowEntry, 'command' | 'match' | 'where'>,
): AllowlistEdit {
  return editAllowlist(configPath, (list) => {
    const kept = list.filter((e) => !sameEntry(e, target));
    return kept.length === list.length
      ? { error: `no ${target.match} allowlist entry "${target.command}" for the ${target.where}` }
      : kept;
  });
}
