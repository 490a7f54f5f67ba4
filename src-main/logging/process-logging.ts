import { readFileSync } from 'node:fs';
import JSON5 from 'json5';
import type { Config } from '../../src-shared/config/schema.js';
import { resolveConfigPath } from '../config/config-path.js';
import { ConfigService, type ConfigState } from '../config/config-service.js';
import { createFileLogWriter } from './file-log-writer.js';
import { DEFAULT_LOG_FILE_PATTERN, dayStamp } from './log-paths.js';
import { pruneLogFiles } from './log-retention.js';
import { createLogger, type LogLevel, type LogSink, type Logger } from './logger.js';
import { setProcessSecrets } from './redact.js';
import { createRedactor, type Redactor } from './redactor.js';
import { collectSecretsFromRaw } from './secret-sources.js';

/**
 * Overrides `logging.file` (same `YYYY-MM-DD` pattern rules). For tests and for running several
 * instances side by side; the config is the owner's normal way to set it.
 */
export const LOG_FILE_ENV = 'CLAWDBOT_LOG_FILE';

/** The processes that log. */
export type LogProcess = 'supervisor' | 'gateway' | 'cli';

/** A process's logging, set up from the config. */
export interface ProcessLogging {
  /** The process's logger: the day's file, echoed to stderr as configured. */
  log: Logger;
  /** Another logger on the same file, with its own stderr echo threshold. */
  logger(options: { scope?: string; echoLevel?: LogLevel | false }): Logger;
  /** Secrets learnt after start (e.g. a generated web token), hidden from now on. */
  addSecrets(secrets: Iterable<string>): void;
  /** Applies a config (level, file, keepDays, secrets); the watcher calls it on every edit. */
  apply(state: ConfigState): void;
  /** Stops following the config and the daily pruning. */
  close(): void;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/** The raw content of a config that failed validation: it may still hold a token to hide. */
function rawConfig(path: string): unknown {
  try {
    return JSON5.parse(readFileSync(path, 'utf8'));
  } catch {
    return null;
  }
}

/**
 * Sets up the process's logging from the config: file pattern (`$CLAWDBOT_LOG_FILE`, else
 * `logging.file`, else the default), level, redaction and retention (on start, on each new
 * day's file, and daily). With `follow`, config edits apply while the process runs.
 */
export function startProcessLogging(options: {
  process: LogProcess;
  stateDir: string;
  env?: NodeJS.ProcessEnv;
  /** The least level echoed to stderr (default: every line written; false: none). */
  echoLevel?: LogLevel | false;
  /** Follow config edits (long-running processes). */
  follow?: boolean;
  /** The process's config service, followed instead of a watcher of our own (implies `follow`). */
  config?: ConfigService;
  now?: () => Date;
  write?: (line: string) => void;
}): ProcessLogging {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const configPath = resolveConfigPath(options.stateDir, env);
  const watcher = options.config ?? (options.follow ? new ConfigService(configPath).start() : null);
  const initial: ConfigState = watcher?.current() ?? new ConfigService(configPath).current();

  let config: Config = initial.config;
  let level: LogLevel = config.logging.level;
  let redactor: Redactor = createRedactor({ secrets: [], enabled: true });
  let secrets: string[] = [];
  const learnt = new Set<string>();
  let lastPruned = '';

  const patternOf = (c: Config): string =>
    env[LOG_FILE_ENV]?.trim() || c.logging.file || DEFAULT_LOG_FILE_PATTERN;
  const prune = (): void => {
    const at = now();
    lastPruned = dayStamp(at);
    pruneLogFiles(patternOf(config), config.logging.keepDays, at);
  };
  const writer = createFileLogWriter({
    pattern: patternOf(config),
    onNewFile: (_path, day) => {
      if (day !== lastPruned) prune();
    },
  });
  const refreshSecrets = (): void => {
    const all = [...secrets, ...learnt];
    setProcessSecrets(all);
    redactor = createRedactor({ secrets: all, enabled: config.logging.redactSensitive });
  };

  const apply = (state: ConfigState): void => {
    config = state.config;
    level = config.logging.level;
    writer.setPattern(patternOf(config));
    // A rejected edit may still carry a new token: hide it as well as the last good config's.
    const raw = state.errors ? rawConfig(state.path) : null;
    secrets = [
      ...collectSecretsFromRaw(config, env, [], options.stateDir),
      ...collectSecretsFromRaw(raw, env, [], options.stateDir),
    ];
    refreshSecrets();
  };
  apply(initial);
  prune();
  watcher?.onChange(apply);
  const daily = setInterval(prune, DAY_MS);
  daily.unref();

  const sink: LogSink = {
    get level() {
      return level;
    },
    get redactor() {
      return redactor;
    },
    writeFile: (line, lineLevel, at) => writer.write(line, lineLevel, at),
  };
  const logger = (o: { scope?: string; echoLevel?: LogLevel | false }): Logger =>
    createLogger({ process: options.process, sink, now, write: options.write, ...o });
  return {
    log: logger({ echoLevel: options.echoLevel }),
    logger,
    addSecrets(more) {
      for (const secret of more) if (secret.trim() !== '') learnt.add(secret);
      refreshSecrets();
    },
    apply,
    close() {
      clearInterval(daily);
      if (!options.config) watcher?.stop();
    },
  };
}
