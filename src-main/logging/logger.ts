import { redactSecrets } from './redact.js';
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

const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * A JSON-lines logger (`{time, level, process, scope, msg, …}`) writing to `write` (stderr by
 * default, which a supervised gateway's supervisor collects).
 */
export function createLogger(options: {
  process: string;
  scope?: string;
  level?: LogLevel;
  write?: (line: string) => void;
}): Logger {
  const min = order[options.level ?? 'info'];
  const write = options.write ?? ((line: string) => process.stderr.write(`${line}\n`));
  const log =
    (level: LogLevel) =>
    (msg: string, fields: Record<string, unknown> = {}): void => {
      if (order[level] < min) return;
      write(
        redactSecrets(
          JSON.stringify({
            time: new Date().toISOString(),
            level,
            process: options.process,
            scope: options.scope ?? 'main',
            msg,
            ...fields,
          }),
        ),
      );
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
