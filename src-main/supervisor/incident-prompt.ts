import { chmodSync, lstatSync, realpathSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { SecurityPromptConfig } from '../../src-shared/config/agent-schema.js';
import { DEFAULT_SECURITY_RULES } from '../../src-shared/config/security-rules.js';
import { AppError } from '../../src-shared/domain/app-error.js';
import type { SecurityPromptView } from '../../src-shared/domain/incident.js';
import { parseConfigText } from '../config/load-config.js';
import { readConfigText } from '../config/config-document.js';
import { setSecurityPromptText } from './incident-config-text.js';

/**
 * Replaces the file in one step, keeping its mode (a new file is private), so the gateway's
 * config watcher never reads half a config. Through a symlink to the real file, so the link
 * stays a link.
 */
function writeAtomically(path: string, text: string, exists: boolean): void {
  const target = exists && lstatSync(path).isSymbolicLink() ? realpathSync(path) : path;
  const mode = exists ? statSync(target).mode & 0o777 : 0o600;
  const temp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  writeFileSync(temp, text, { mode: 0o600 });
  chmodSync(temp, mode);
  renameSync(temp, target);
}

/** `agent.securityPrompt` as the file says now, with the built-in rules. */
export function readSecurityPrompt(configPath: string, commentsKept = true): SecurityPromptView {
  const loaded = parseConfigText(readConfigText(configPath), configPath);
  const prompt = loaded.ok ? loaded.config.agent.securityPrompt : { mode: 'extend', text: '' };
  return {
    mode: prompt.mode === 'replace' ? 'replace' : 'extend',
    text: prompt.text,
    defaultRules: DEFAULT_SECURITY_RULES,
    configPath,
    configErrors: loaded.ok ? [] : loaded.errors,
    commentsKept,
  };
}

/**
 * Saves `agent.securityPrompt`. The whole file must validate before and after: a broken config
 * is not overwritten (its owner may be halfway through an edit), and a prompt that would make
 * it invalid is refused with the schema's messages. The running gateway picks the change up
 * through its config hot reload; nothing is restarted here.
 */
export function saveSecurityPrompt(
  configPath: string,
  prompt: SecurityPromptConfig,
): SecurityPromptView {
  const text = readConfigText(configPath);
  const before = parseConfigText(text, configPath);
  if (!before.ok) {
    throw new AppError(
      'CONFLICT',
      `the config file is invalid, so it was left alone; fix it first: ${before.errors.join('; ')}`,
    );
  }
  if (prompt.mode === 'replace' && prompt.text.trim() === '') {
    throw new AppError(
      'BAD_INPUT',
      'replacing the built-in rules with nothing would leave the agent without security rules',
    );
  }
  const edited = setSecurityPromptText(text, prompt);
  const after = parseConfigText(edited.text, configPath);
  if (!after.ok) {
    throw new AppError('BAD_INPUT', `the config would not validate: ${after.errors.join('; ')}`);
  }
  writeAtomically(configPath, edited.text, text !== null);
  return readSecurityPrompt(configPath, edited.preserved);
}
