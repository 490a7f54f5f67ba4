import { readFileSync } from 'node:fs';
import JSON5 from 'json5';
import type { Config } from '../../src-shared/config/schema.js';
import type { ConfigService, ConfigState } from '../config/config-service.js';
import { createFileLogWriter } from './file-log-writer.js';
import { configuredLogPattern, describeLogDestination, LOG_FILE_ENV } from './log-destination.js';
import { logFileForDay } from './log-paths.js';
import { pruneLogFiles } from './log-retention.js';
import { createLogger, type LogLevel, type LogSink, type Logger } from './logger.js';
import {
  addProcessSecrets,
  onProcessSecretsChange,
  processSecrets,
  setProcessSecrets,
} from './redact.js';
import { createRedactor, type Redactor } from './redactor.js';
import { collectSecretsFromRaw } from './secret-sources.js';
import { dayStamp } from '../../src-shared/format/day-stamp.js';

export { LOG_FILE_ENV };

/** The processes that log. */
export type LogProcess = 'supervisor' | 'gateway' | 'cli';

/** A process's logging, set up from the config. */
export interface ProcessLogging {
  /** The process's logger: the day's file, echoed to stderr as configured. */
  log: Logger;
  /** Another logger on the same file, with its own stderr echo threshold. */
  logger(options: { scope?: string; echoLevel?: LogLevel | false }): Logger;
  /**
   * Secrets learnt after start (e.g. a generated web token), hidden from now on; the same as
   * {@link addProcessSecrets}, which code without this object calls.
   */
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
    // Unreadable or not even JSON5: it holds no token we could find to hide.
    return null;
  }
}

/**
 * Sets up the process's logging from its config service: file pattern (`$CLAWDBOT_LOG_FILE`,
 * else `logging.file`, else the default), level, redaction and retention (on start, on each new
 * day's file, and daily). With `follow`, the service's changes apply while the process runs.
 */
export function startProcessLogging(options: {
  process: LogProcess;
  stateDir: string;
  env?: NodeJS.ProcessEnv;
  /** The least level echoed to stderr (default: every line written; false: none). */
  echoLevel?: LogLevel | false;
  /** Apply the config service's changes (long-running processes, whose service watches the file). */
  follow?: boolean;
  /** The process's one config service: logging never reads the config file on its own. */
  config: ConfigService;
  now?: () => Date;
  write?: (line: string) => void;
  /**
   * Where a notice goes when logs cannot go where configured (default: stderr, whatever the
   * echo level: running without the expected audit trail must never go unnoticed).
   */
  notice?: (line: string) => void;
}): ProcessLogging {
  const env = options.env ?? process.env;
  const now = options.now ?? (() => new Date());
  const initial: ConfigState = options.config.current();
  const following = new AbortController();

  let config: Config = initial.config;
  let level: LogLevel = config.logging.level;
  let redactor: Redactor = createRedactor({ secrets: [], enabled: true });
  let lastPruned = '';

  const patternOf = (c: Config): string => configuredLogPattern(env, c);
  const notice = options.notice ?? ((line: string) => process.stderr.write(`clawdbot: ${line}\n`));
  let lastNotice: string | null = null;
  const prune = (): void => {
    const at = now();
    lastPruned = dayStamp(at);
    pruneLogFiles(writer.destination(at).pattern, config.logging.keepDays, at);
  };
  const writer = createFileLogWriter({
    pattern: patternOf(config),
    stateDir: options.stateDir,
    onNewFile: (_path, day) => {
      if (day !== lastPruned) prune();
    },
    onDestination: (destination, at) => {
      const said = describeLogDestination(destination, at);
      if (said === null || said === lastNotice) return;
      lastNotice = said;
      notice(said);
      // Into the log as well (the fallback file, if one could be written): the trail shows it.
      const { fallback, error } = destination;
      queueMicrotask(() =>
        logger({ scope: 'logging', echoLevel: false }).warn('logs are not where configured', {
          configured: fallback?.configured,
          reason: fallback?.reason,
          file: error ? null : logFileForDay(destination.pattern, at),
          error,
        }),
      );
    },
  });
  // The file's redactor follows the process's secrets, learnt ones (a keychain key that arrived
  // over IPC) included.
  const refreshRedactor = (): void => {
    redactor = createRedactor({
      secrets: processSecrets(),
      enabled: config.logging.redactSensitive,
    });
  };
  const stopFollowingSecrets = onProcessSecretsChange(refreshRedactor);

  const apply = (state: ConfigState): void => {
    config = state.config;
    level = config.logging.level;
    writer.setPattern(patternOf(config));
    // A rejected edit may still carry a new token: hide it as well as the last good config's.
    const raw = state.errors ? rawConfig(state.path) : null;
    // Rebuilds the file's redactor too (through the change listener), with the new config.
    setProcessSecrets([
      ...collectSecretsFromRaw(config, env, [], options.stateDir),
      ...collectSecretsFromRaw(raw, env, [], options.stateDir),
    ]);
  };
  apply(initial);
  prune();
  if (options.follow) options.config.onChange(apply, following.signal);
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
    addSecrets: addProcessSecrets,
    apply,
    close() {
      stopFollowingSecrets();
      clearInterval(daily);
      following.abort();
    },
  };
}
