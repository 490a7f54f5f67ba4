import type { Config } from '../../src-shared/config/schema.js';
import type { Finding } from '../../src-shared/domain/audit.js';
import type { AuditInput, FileFact, PrivateFileKind } from './audit-input.js';
import { keyPath, listWords, type Check } from './finding-helpers.js';
import { SECRETS } from '../secret-registry.js';

const TELEGRAM_TOKEN = SECRETS['telegram-token'];

/** Group or other permission bits: anyone but the owner can read, write or list. */
export function isShared(mode: number): boolean {
  return (mode & 0o077) !== 0;
}

/** The mode `--fix` gives each private file: directories 0700, files 0600. */
export function privateMode(file: Pick<FileFact, 'directory'>): number {
  return file.directory ? 0o700 : 0o600;
}

const describe: Record<PrivateFileKind, { what: string; holds: string }> = {
  'state-dir': {
    what: 'the state directory',
    holds: 'the database, credentials and sandbox workspaces',
  },
  config: { what: 'the config file', holds: 'who may reach the bot and what it may do' },
  database: { what: 'the database', holds: 'transcripts, allowlists and pairing codes' },
  credentials: { what: 'credential files', holds: 'linked-device keys and bot tokens' },
};

/** Private files other users can read: one finding per kind, naming every file. */
export function checkFileModes(input: AuditInput): Finding[] {
  const secretsInConfig = findConfigSecrets(input).length > 0;
  const kinds: PrivateFileKind[] = ['state-dir', 'config', 'database', 'credentials'];
  return kinds.flatMap((kind): Finding[] => {
    const shared = input.files.filter((f) => f.kind === kind && isShared(f.mode));
    if (shared.length === 0) return [];
    const { what, holds } = describe[kind];
    const modes = listWords(
      shared.map((f) => `${f.path} (${f.mode.toString(8).padStart(3, '0')})`),
    );
    const severity = kind === 'config' && !secretsInConfig ? 'medium' : 'high';
    return [
      {
        id: `files.${kind}`,
        severity,
        title: `${what} is readable by other users`,
        meaning: `Other accounts on this machine can open ${modes}, which holds ${holds}.`,
        fix: `chmod ${shared.some((f) => f.directory) ? '700 for directories, 600 for files' : '600'}: ${shared.map((f) => f.path).join(' ')}`,
        fixable: true,
        path: shared[0]?.path,
      },
    ];
  });
}

// Shapes of secrets that should never sit in a config file: bot tokens, API keys, private keys.
const SECRET_SHAPES: readonly RegExp[] = [
  /(?<!\d)\d{6,12}:[A-Za-z0-9_-]{30,}/, // Telegram bot token
  /\bsk-(ant-)?[A-Za-z0-9_-]{20,}/, // Anthropic / OpenAI keys
  /\b(ghp|gho|ghs|github_pat)_[A-Za-z0-9_]{20,}/, // GitHub tokens
  /\bxox[abpr]-[A-Za-z0-9-]{10,}/, // Slack tokens
  /\bAKIA[0-9A-Z]{16}\b/, // AWS access key id
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];

function walkStrings(
  value: unknown,
  path: (string | number)[],
  visit: (text: string, path: (string | number)[]) => void,
): void {
  if (typeof value === 'string') visit(value, path);
  else if (Array.isArray(value)) value.forEach((v, i) => walkStrings(v, [...path, i], visit));
  else if (value && typeof value === 'object') {
    for (const [key, v] of Object.entries(value)) walkStrings(v, [...path, key], visit);
  }
}

/** Key paths of secrets written in the config: `telegram.botToken` and anything secret-shaped. */
export function configSecretPaths(config: Config): string[] {
  const paths = new Set<string>();
  if (config.telegram.botToken) paths.add(TELEGRAM_TOKEN.configKey);
  walkStrings(config, [], (text, path) => {
    if (SECRET_SHAPES.some((shape) => shape.test(text))) paths.add(keyPath(path));
  });
  return [...paths];
}

function findConfigSecrets(input: AuditInput): string[] {
  return input.config.ok ? configSecretPaths(input.config.config) : [];
}

/** Secrets written into the config file, which gets copied, shared and backed up. */
export const checkConfigSecrets: Check = (input) => {
  const paths = findConfigSecrets(input);
  if (paths.length === 0) return [];
  return [
    {
      id: 'config.secrets',
      severity: 'high',
      title: 'secrets are written in the config file',
      meaning: `${listWords(paths)} in ${input.configPath} hold${paths.length === 1 ? 's' : ''} a secret, which leaks wherever the config is pasted, synced or backed up.`,
      fix:
        paths[0] === TELEGRAM_TOKEN.configKey
          ? `Move the token into a file named by telegram.tokenFile (chmod 600) or the ${TELEGRAM_TOKEN.envVars.join(' or ')} environment variable, delete ${TELEGRAM_TOKEN.configKey}, and revoke the old token with @BotFather if the file was ever shared.`
          : 'Move the secret into the environment or a file of its own, delete it from the config, and revoke it if the file was ever shared.',
      fixable: false,
      path: paths[0],
    },
  ];
};
