import { chmodSync } from 'node:fs';
import type { Config } from '../../src-shared/config/schema.js';
import { MESSAGING_PROVIDERS } from '../../src-shared/domain/providers.js';
import type { AuditInput } from './audit-input.js';
import { isShared, privateMode } from './checks-files.js';
import { writeConfigAtomically } from '../config/write-config-file.js';
import { editConfigText, type ConfigEdit } from './config-edit.js';

/**
 * The only changes `--fix` makes: ones that close a hole without changing who the bot talks to
 * in a way the owner did not intend, and that can be made again without harm. Opening, closing
 * or re-pointing access (dmPolicy, elevated, sandbox mode) stays the owner's decision.
 */
export function safeConfigEdits(config: Config): ConfigEdit[] {
  const edits: ConfigEdit[] = [];
  if (!config.logging.redactSensitive) {
    edits.push({ path: ['logging', 'redactSensitive'], from: false, to: true });
  }
  for (const provider of MESSAGING_PROVIDERS) {
    if (config[provider].groupPolicy === 'open') {
      edits.push({ path: [provider, 'groupPolicy'], from: 'open', to: 'allowlist' });
    }
  }
  return edits;
}

function fixConfig(input: AuditInput): string[] {
  if (!input.config.ok || input.configText === null) return [];
  const edits = safeConfigEdits(input.config.config);
  if (edits.length === 0) return [];
  const edited = editConfigText(input.configText, edits);
  writeConfigAtomically(input.configPath, edited.text);
  const changes = edits.map(
    (e) =>
      `${e.path.join('.')}: ${JSON.stringify(e.from)} → ${JSON.stringify(e.to)} in ${input.configPath}`,
  );
  if (!edited.preserved) {
    changes.push(
      `rewrote ${input.configPath} as formatted JSON: every key and value kept, but its comments and layout could not be`,
    );
  }
  return changes;
}

/** Makes every private file others can read private (directories first); one line per change. */
export function fixModes(input: AuditInput): string[] {
  if (process.platform === 'win32') return [];
  // Directories first, so nobody can list a directory while its files are being closed.
  const shared = input.files
    .filter((f) => isShared(f.mode))
    .sort((a, b) => Number(b.directory) - Number(a.directory));
  return shared.map((file) => {
    const mode = privateMode(file);
    chmodSync(file.path, mode);
    return `chmod ${mode.toString(8)} ${file.path} (was ${file.mode.toString(8).padStart(3, '0')})`;
  });
}

/** Applies every safe fix the input calls for; one line per change made. */
export function applySafeFixes(input: AuditInput): string[] {
  return [...fixConfig(input), ...fixModes(input)];
}
