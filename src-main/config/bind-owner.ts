import { ConfigSchema } from '../../src-shared/config/schema.js';
import { describeConfigIssues } from '../../src-shared/config/describe-issues.js';
import type { MessagingProvider } from '../../src-shared/domain/providers.js';
import {
  applyConfigChanges,
  parseConfigObject,
  readConfigText,
  writeConfigObject,
} from './config-document.js';
import { writeConfigAtomically } from './write-config-file.js';

/**
 * Adds a sender to `owner.<provider>` in the config file through the file's one editor
 * (comments kept), after checking the whole file still validates; every process's config
 * watcher picks it up. Returns the validation problems instead of writing when it would not.
 */
export function bindOwner(
  configPath: string,
  provider: MessagingProvider,
  senderId: string,
): { ok: true } | { ok: false; error: string } {
  const text = readConfigText(configPath);
  const before = parseConfigObject(text);
  const parsed = ConfigSchema.safeParse(before);
  const owners = parsed.success ? parsed.data.owner[provider] : [];
  if (owners.includes(senderId)) return { ok: true };
  const after = applyConfigChanges(before, [
    { path: ['owner', provider], value: [...owners, senderId] },
  ]);
  const checked = ConfigSchema.safeParse(after);
  if (!checked.success) return { ok: false, error: describeConfigIssues(checked.error).join('; ') };
  writeConfigAtomically(configPath, writeConfigObject(text, after).text);
  return { ok: true };
}
