import electronLog from 'electron-log/node';
import { logFileForDay } from './log-paths.js';
import { resolveLogDestination, type LogDestination } from './log-destination.js';
import { LOG_FILE_MODE, secureLogFile } from './log-retention.js';
import type { LogLevel } from './logger.js';
import { dayStamp } from '../../src-shared/format/day-stamp.js';

/** Appends finished JSON lines to the day's log file. */
export interface FileLogWriter {
  /** Appends `line` (already serialized and redacted) to the file of `at`'s day. */
  write(line: string, level: LogLevel, at: Date): void;
  /** Switches to another file pattern (a `logging.file` edit); the next line goes there. */
  setPattern(pattern: string): void;
  /** Where lines of `at`'s day go: the configured pattern, or the fallback and why. */
  destination(at: Date): LogDestination;
}

let writers = 0;

/**
 * A writer on electron-log's file transport. Each line is one synchronous `a`-mode write of the
 * whole line (O_APPEND), so the supervisor, the gateway and the CLI can share a file without
 * their lines interleaving. The path is resolved per line from the line's own time, so a
 * process running across midnight writes its next line to the next day's file; electron-log's
 * size rotation is off because files are per day and pruned by age instead. A configured
 * directory that cannot be trusted is never written to: lines go under `<state dir>/logs/`
 * instead, and `onDestination` hears of every change so the process can say so.
 */
export function createFileLogWriter(options: {
  pattern: string;
  stateDir: string;
  /** Called when lines start going to a new file (a new day, or a new pattern). */
  onNewFile?: (path: string, day: string) => void;
  /** Called with the destination whenever it is resolved anew (a new day, or a new pattern). */
  onDestination?: (destination: LogDestination, at: Date) => void;
}): FileLogWriter {
  let pattern = options.pattern;
  let resolvedFor: string | null = null;
  let current: LogDestination = { pattern, fallback: null, error: null };
  let target: string | null = null;
  // Its own instance (not the default logger), so nothing else in the process shares its state.
  const logger = electronLog.create({ logId: `clawdbot-file-${++writers}` });
  for (const name of ['console', 'ipc', 'remote']) {
    const transport = logger.transports[name];
    if (transport) transport.level = false;
  }
  const file = logger.transports.file;
  // The path never depends on the app name; setting it spares electron-log a package.json hunt.
  file.setAppName('clawdbot');
  file.level = 'silly';
  file.maxSize = 0;
  file.sync = true;
  file.writeOptions = { flag: 'a', mode: LOG_FILE_MODE, encoding: 'utf8' };
  // The line is serialized by the caller: electron-log's formatting would wrap it.
  file.transforms = [({ data }) => String(data[0])];
  file.resolvePathFn = (_vars, message) =>
    logFileForDay(current.pattern, message?.date ?? new Date());

  /** Resolves where `at`'s lines go, once per configured file (so once a day, or per edit). */
  const prepare = (at: Date): void => {
    const wanted = logFileForDay(pattern, at);
    if (wanted === resolvedFor) return;
    resolvedFor = wanted;
    current = resolveLogDestination(pattern, options.stateDir, { prepare: true, at });
    target = current.error ? null : logFileForDay(current.pattern, at);
    options.onDestination?.(current, at);
    if (target === null) return;
    secureLogFile(target);
    options.onNewFile?.(target, dayStamp(at));
  };

  return {
    write(line, level, at) {
      prepare(at);
      if (target === null) return;
      logger.processMessage({ data: [line], date: at, level, variables: { processType: 'main' } });
    },
    setPattern(next) {
      pattern = next;
    },
    destination(at) {
      prepare(at);
      return current;
    },
  };
}
