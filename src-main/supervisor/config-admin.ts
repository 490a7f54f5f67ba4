import { isDeepStrictEqual } from 'node:util';
import { ConfigSchema } from '../../src-shared/config/schema.js';
import { describeConfigIssues } from '../../src-shared/config/describe-issues.js';
import { AppError } from '../../src-shared/domain/app-error.js';
import {
  formatConfigPath,
  type ConfigChange,
  type ConfigIssue,
  type ConfigPreview,
  type ConfigSaveResult,
  type ConfigView,
} from '../../src-shared/domain/config-edit.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { configStatusOf, type ConfigService } from '../config/config-service.js';
import {
  applyConfigChanges,
  diffConfig,
  parseConfigObject,
  readConfigText,
  writeConfigObject,
} from '../config/config-document.js';
import { writeConfigAtomically } from '../config/write-config-file.js';
import { SECRETS } from '../secret-registry.js';

type Json = Record<string, unknown>;

/** Config keys that hold a secret: their values never cross to a renderer, nor come from one. */
const SECRET_KEYS: readonly string[] = Object.values(SECRETS).flatMap((secret): string[] =>
  secret.configKey === null ? [] : [secret.configKey],
);

function valueAt(root: unknown, dotted: string): unknown {
  return dotted
    .split('.')
    .reduce<unknown>(
      (node, key) => (typeof node === 'object' && node !== null ? (node as Json)[key] : undefined),
      root,
    );
}

function withoutSecrets(root: Json): Json {
  const copy = structuredClone(root);
  for (const key of SECRET_KEYS) {
    const parts = key.split('.');
    const parent = valueAt(copy, parts.slice(0, -1).join('.'));
    if (typeof parent === 'object' && parent !== null) delete (parent as Json)[parts.at(-1)!];
  }
  return copy;
}

/** A proposed file content, its validation issues, and what it changes. */
interface Proposal {
  text: string | null;
  before: Json;
  after: Json;
  issues: ConfigIssue[];
}

/**
 * The config file as Settings and the setup flow see and change it: read (secrets left out),
 * validate a proposed change with the config schema (each problem with its field's key path),
 * show what would change, and save it through the config file's one comment-preserving editor,
 * then reload, so this process and (through its file watcher) the gateway run on it at once.
 */
export class ConfigAdmin {
  constructor(private readonly service: ConfigService) {}

  /** The file's content and the config in force. */
  view(): ConfigView {
    const state = this.service.current();
    const status = configStatusOf(state);
    let file: Json = {};
    const text = readConfigText(state.path);
    try {
      file = parseConfigObject(text);
    } catch {
      // An unparseable file shows as empty; `errors` says why, and saving is refused.
    }
    return {
      path: state.path,
      exists: text !== null,
      state: status.state,
      errors: status.errors,
      file: withoutSecrets(file) as ConfigView['file'],
      effective: withoutSecrets(state.config) as ConfigView['effective'],
      secretsSet: SECRET_KEYS.filter((key) => valueAt(file, key) !== undefined),
    };
  }

  /** What the changes would do, without writing anything. */
  preview(changes: readonly ConfigChange[]): ConfigPreview {
    const proposal = this.propose(changes);
    return {
      valid: proposal.issues.length === 0,
      issues: proposal.issues,
      diff: diffConfig(withoutSecrets(proposal.before), withoutSecrets(proposal.after)),
    };
  }

  /**
   * Validates and writes the changes (nothing is written when any field is invalid), then
   * reloads the config so the reply shows the config in force.
   */
  async save(changes: readonly ConfigChange[]): Promise<ConfigSaveResult> {
    const proposal = this.propose(changes);
    const diff = diffConfig(withoutSecrets(proposal.before), withoutSecrets(proposal.after));
    if (proposal.issues.length > 0) {
      return {
        saved: false,
        valid: false,
        issues: proposal.issues,
        diff,
        commentsKept: true,
        view: this.view(),
      };
    }
    let commentsKept = true;
    if (!isDeepStrictEqual(proposal.before, proposal.after) || proposal.text === null) {
      const edited = writeConfigObject(proposal.text, proposal.after);
      commentsKept = edited.preserved;
      const path = this.service.current().path;
      try {
        writeConfigAtomically(path, edited.text);
      } catch (error) {
        throw new AppError('UNAVAILABLE', `cannot write ${path}: ${describeError(error)}`);
      }
      await this.service.reload();
    }
    return { saved: true, valid: true, issues: [], diff, commentsKept, view: this.view() };
  }

  private propose(changes: readonly ConfigChange[]): Proposal {
    const path = this.service.current().path;
    const text = readConfigText(path);
    let before: Json;
    try {
      before = parseConfigObject(text);
    } catch (error) {
      const message = `${path} cannot be read as JSON5 (${describeError(error)}): fix it by hand first`;
      return { text, before: {}, after: {}, issues: [{ path: '', message }] };
    }
    const after = applyConfigChanges(before, changes);
    const issues: ConfigIssue[] = [];
    for (const key of SECRET_KEYS) {
      if (!isDeepStrictEqual(valueAt(before, key), valueAt(after, key))) {
        issues.push({
          path: key,
          message: `${key} is a secret and is not changed through settings: use the setup flow, the environment or a token file`,
        });
      }
    }
    const parsed = ConfigSchema.safeParse(after);
    if (!parsed.success) {
      const messages = describeConfigIssues(parsed.error);
      parsed.error.issues.forEach((issue, index) => {
        const field = formatConfigPath(issue.path);
        const message = messages[index] ?? issue.message;
        // The field is shown next to the message: drop the path the CLI's wording starts with.
        const prefix = `${field}: `;
        issues.push({
          path: field,
          message: field && message.startsWith(prefix) ? message.slice(prefix.length) : message,
        });
      });
    }
    return { text, before, after, issues };
  }
}
