import electronLog from 'electron-log/node';
import { dirname } from 'node:path';
import { dayStamp, logFileForDay } from './log-paths.js';
import { ensureLogDir, LOG_FILE_MODE, secureLogFile } from './log-retention.js';
import type { LogLevel } from './logger.js';

/** Appends finished JSON lines to the day's log file. */
export interface FileLogWriter {
  /** Appends `line` (already serialized and redacted) to the file of `at`'s day. */
  write(line: string, level: LogLevel, at: Date): void;
  /** Switches to another file pattern (a `logging.file` edit); the next line goes there. */
  setPattern(pattern: string): void;
  /** The file lines of `at`'s day go to. */
  fileFor(at: Date): string;
}

let writers = 0;

/**
 * A writer on electron-log's file transport. Each line is one synchronous `a`-mode write of the
 * whole line (O_APPEND), so the supervisor, the gateway and the CLI can share a file without
 * their lines interleaving. The path is resolved per line from the line's own time, so a
 * process running across midnight writes its next line to the next day's file; electron-log's
 * size rotation is off because files are per day and pruned by age instead.
 */
export function createFileLogWriter(options: {
  pattern: string;
  /** Called when lines start going to a new file (a new day, or a new pattern). */
  onNewFile?: (path: string, day: string) => void;
}): FileLogWriter {
  let pattern = options.pattern;
  let currentPath: string | null = null;
  let usable = false;
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
  file.resolvePathFn = (_vars, message) => logFileForDay(pattern, message?.date ?? new Date());

  const prepare = (path: string, at: Date): void => {
    if (path === currentPath) return;
    currentPath = path;
    usable = ensureLogDir(dirname(path));
    if (!usable) return;
    secureLogFile(path);
    options.onNewFile?.(path, dayStamp(at));
  };

  return {
    write(line, level, at) {
      const path = logFileForDay(pattern, at);
      prepare(path, at);
      if (!usable) return;
      logger.processMessage({ data: [line], date: at, level, variables: { processType: 'main' } });
    },
    setPattern(next) {
      pattern = next;
    },
    fileFor: (at) => logFileForDay(pattern, at),
  };
}
