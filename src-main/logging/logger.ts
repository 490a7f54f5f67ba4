import { processRedactor } from './redact.js';
import type { Redactor } from './redactor.js';
import { describeError } from '../../src-shared/errors/describe-error.js';

/** Severity of a log line. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** A structured logger: a message plus fields, one JSON line each. */
export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

/**
 * The process's log settings, read on every line so a config edit applies to every logger
 * (children included) at once.
 */
export interface LogSink {
  /** Lines below this level are dropped. */
  readonly level: LogLevel;
  /** Applied before a line is written anywhere (`logging.redactSensitive` decides). */
  readonly redactor: Redactor;
  /** Appends a finished line to the log file. */
  writeFile(line: string, level: LogLevel, at: Date): void;
}

/** How a logger is made. */
export interface LoggerOptions {
  /** `supervisor`, `gateway` or `cli`. */
  process: string;
  scope?: string;
  /** Without a sink: the least level written (default info). With a sink, the sink decides. */
  level?: LogLevel;
  /** Where lines are echoed: stderr by default, which a supervised gateway's supervisor collects. */
  write?: (line: string) => void;
  /** With a sink: the least level also echoed to `write` (default: every line; false: none). */
  echoLevel?: LogLevel | false;
  /** The log file and its settings; without one, lines only go to `write`. */
  sink?: LogSink;
  /** The clock (tests inject one to cross midnight). */
  now?: () => Date;
}

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/** JSON that never throws: a log call must not take its caller down over a BigInt or a getter. */
function serialize(record: Record<string, unknown>): string {
  try {
    return JSON.stringify(record, (_key, value: unknown) =>
      typeof value === 'bigint' ? value.toString() : value,
    );
  } catch (error) {
    const { time, level, process, scope, msg } = record;
    return JSON.stringify({ time, level, process, scope, msg, logError: describeError(error) });
  }
}

/**
 * A JSON-lines logger (`{time, level, process, scope, msg, …fields}`): to the sink's day file
 * and echoed to stderr. Secrets are replaced before the line is serialized, so neither
 * destination ever sees them.
 */
export function createLogger(options: LoggerOptions): Logger {
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const now = options.now ?? (() => new Date());
  const { sink } = options;
  const echoFrom = sink ? (options.echoLevel ?? 'debug') : 'debug';
  const log =
    (level: LogLevel) =>
    (msg: string, fields: Record<string, unknown> = {}): void => {
      if (order[level] < order[sink ? sink.level : (options.level ?? 'info')]) return;
      const at = now();
      const redactor = sink?.redactor ?? processRedactor;
      const head = {
        time: at.toISOString(),
        level,
        process: options.process,
        scope: options.scope ?? 'main',
        msg,
      };
      // The head again after the fields: a field named `level` must not disguise the line.
      const line = serialize(redactor.redactValue({ ...head, ...fields, ...head }));
      sink?.writeFile(line, level, at);
      if (echoFrom !== false && order[level] >= order[echoFrom]) write(line);
    };
  return {
    debug: log('debug'),
    info: log('info'),
    warn: log('warn'),
    error: log('error'),
    child: (scope) => createLogger({ ...options, scope }),
  };
}

/** A logger that discards everything (benches, some tests). */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};
