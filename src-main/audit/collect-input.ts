import type Docker from 'dockerode';
import { existsSync, lstatSync, readdirSync, readFileSync, type Stats } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseConfigText } from '../config/load-config.js';
import { configuredLogPattern, resolveLogDestination } from '../logging/log-destination.js';
import type {
  AuditInput,
  ConfigFact,
  ContainerFactSelf,
  FileFact,
  PrivateFileKind,
} from './audit-input.js';
import { collectContainerSelf } from './collect-container-self.js';
import { collectDocker } from './collect-docker.js';
import { describeError } from '../../src-shared/errors/describe-error.js';
import { secretFiles } from '../secret-registry.js';
import { databaseFiles } from '../state-layout.js';

/** Where to look and what the caller already knows about the running processes. */
export interface CollectOptions {
  stateDir: string;
  configPath: string;
  /** The bind address of the web mode this process serves, or null. */
  webHost?: string | null;
  safeStorageBackend?: string | null;
  /** A client to ask; `false` skips the engine entirely. Default: connect to the local one. */
  docker?: Docker | false;
  homeDir?: string;
  /** Where `$CLAWDBOT_LOG_FILE` is read from (default: this process's environment). */
  env?: NodeJS.ProcessEnv;
  /** The container this process runs in; default: read from /proc (null when not in one). */
  container?: ContainerFactSelf | null;
}

// A credentials tree is small (a linked device is a few hundred files); stop well beyond that.
const MAX_CREDENTIAL_ENTRIES = 5000;

function statOrNull(path: string): Stats | null {
  try {
    // lstat: a symlink's target is checked where it lives, not through the link.
    return lstatSync(path);
  } catch {
    // Not there (or not ours to see): nothing whose mode could be wrong.
    return null;
  }
}

function fact(kind: PrivateFileKind, path: string): FileFact | null {
  const stats = statOrNull(path);
  if (!stats || stats.isSymbolicLink()) return null;
  return { kind, path, directory: stats.isDirectory(), mode: stats.mode & 0o777 };
}

function credentialFacts(dir: string): FileFact[] {
  const out: FileFact[] = [];
  const pending = [dir];
  while (pending.length > 0 && out.length < MAX_CREDENTIAL_ENTRIES) {
    const current = pending.pop() as string;
    const own = fact('credentials', current);
    if (!own) continue;
    out.push(own);
    if (!own.directory) continue;
    for (const entry of readdirSync(current)) pending.push(join(current, entry));
  }
  return out;
}

function readConfig(configPath: string): { text: string | null; config: ConfigFact } {
  let text: string | null = null;
  try {
    text = readFileSync(configPath, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      return {
        text: null,
        config: { ok: false, errors: [`cannot read: ${describeError(error)}`] },
      };
    }
  }
  const result = parseConfigText(text, configPath);
  return {
    text,
    config: result.ok
      ? { ok: true, config: result.config, exists: result.exists }
      : { ok: false, errors: result.errors },
  };
}

/** The private files as found on disk (none on Windows, where modes mean nothing). */
function collectFiles(stateDir: string, configPath: string, config: ConfigFact): FileFact[] {
  if (process.platform === 'win32') return [];
  // The files the secret registry says hold secrets.
  const secrets = secretFiles(stateDir, config.ok ? config.config : null);
  const tokenFile = secrets.tokenFile ? fact('credentials', secrets.tokenFile) : null;
  const facts = [
    fact('state-dir', stateDir),
    fact('config', configPath),
    ...databaseFiles(stateDir).map((p) => fact('database', p)),
    tokenFile,
  ];
  const credentials = secrets.credentialsDir;
  const all = [
    ...facts.filter((f): f is FileFact => f !== null),
    ...(existsSync(credentials) ? credentialFacts(credentials) : []),
  ];
  // A token file kept under credentials/ would otherwise be listed twice.
  return all.filter((f, i) => all.findIndex((g) => g.path === f.path) === i);
}

/** Gathers everything the checks look at. Reads only: nothing is created or changed. */
export async function collectAuditInput(options: CollectOptions): Promise<AuditInput> {
  const { text, config } = readConfig(options.configPath);
  return {
    configPath: options.configPath,
    configText: text,
    config,
    files: collectFiles(options.stateDir, options.configPath, config),
    docker:
      options.docker === false
        ? null
        : await collectDocker(
            options.docker,
            config.ok ? config.config.agent.sandbox.engine : undefined,
          ),
    webHost: options.webHost ?? null,
    safeStorageBackend: options.safeStorageBackend ?? null,
    homeDir: options.homeDir ?? homedir(),
    container:
      options.container === undefined
        ? collectContainerSelf(options.env ?? process.env)
        : options.container,
    logs: resolveLogDestination(
      configuredLogPattern(options.env ?? process.env, config.ok ? config.config : null),
      options.stateDir,
      { prepare: false },
    ),
  };
}
