import { envClock } from '../../process/env-clock.js';
import { formatHuman, levelRank, parseLogRecord, recordTimeMs } from '../../logs/log-record.js';
import { logDestinationFor } from '../../logs/log-source.js';
import { describeLogDestination } from '../../logging/log-destination.js';
import { filesBetween, followLog, readLinesFrom } from '../../logs/log-tail.js';
import { parseSince } from '../../logs/since.js';
import type { CliContext } from '../cli-context.js';
import { CliError } from '../cli-error.js';
import { dayStamp } from '../../../src-shared/format/day-stamp.js';
import type { LogLevel } from '../../../src-shared/config/logging-schema.js';

/** What `clawdbot logs` accepts. */
export interface LogsOptions {
  follow?: boolean;
  level?: LogLevel;
  since?: string;
  json?: boolean;
}

// The test clock file lets a test move midnight under a running `logs --follow`.
function clock(env: NodeJS.ProcessEnv): () => Date {
  const now = envClock(env);
  return () => new Date(now());
}

/** Which lines to print and how. */
function lineFilter(options: LogsOptions, since: Date | null): (raw: string) => string | null {
  const min = options.level === undefined ? 0 : levelRank(options.level);
  // Lines without a time (malformed) inherit the verdict of the line before: files are in order.
  let inRange = since === null;
  return (raw) => {
    if (raw === '') return null;
    const record = parseLogRecord(raw, 0);
    const ms = recordTimeMs(record);
    if (since !== null && ms !== null) inRange = ms >= since.getTime();
    if (!inRange) return null;
    // A line that is not JSON has no level: shown anyway, a crash mid-write is worth seeing.
    if (!record.malformed && levelRank(record.level) < min) return null;
    if (!options.json) return formatHuman(record);
    // Keep the output valid JSON lines even when the file has a broken one.
    return record.malformed ? JSON.stringify({ malformed: true, raw }) : raw;
  };
}

/** Batches lines to stdout and waits when the pipe is full, so a large log prints fast. */
function createPrinter(): { print(line: string): Promise<void> | void; flush(): Promise<void> } {
  let batch: string[] = [];
  let size = 0;
  const write = async (): Promise<void> => {
    if (batch.length === 0) return;
    const text = batch.join('\n') + '\n';
    batch = [];
    size = 0;
    if (!process.stdout.write(text)) {
      await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
    }
  };
  return {
    print(line) {
      batch.push(line);
      size += line.length;
      return size > 64 << 10 ? write() : undefined;
    },
    flush: write,
  };
}

/** `clawdbot logs`: reads the files directly, so it works with no supervisor running. */
export async function printLogs(context: CliContext, options: LogsOptions): Promise<void> {
  const { env, stateDir } = context;
  const now = clock(env);
  let since: Date | null = null;
  if (options.since !== undefined) {
    since = parseSince(options.since, now());
    if (since === null) {
      throw new CliError(
        `invalid --since value ${JSON.stringify(options.since)}: use an ISO time (2025-01-31T09:00) or a duration (30s, 10m, 2h, 1d)`,
      );
    }
  }
  // Where the writers put them: the config in force (while the file is invalid, the last good).
  const destination = logDestinationFor(env, stateDir, context.config().current().config);
  // Reading the fallback: say why these are not the files the config names.
  const moved = describeLogDestination(destination, now());
  if (moved) process.stderr.write(`clawdbot: ${moved}\n`);
  const pattern = destination.pattern;
  const today = dayStamp(now());
  const filter = lineFilter(options, since);
  const printer = createPrinter();
  const controller = new AbortController();
  const onLine = (raw: string): Promise<void> | void => {
    if (controller.signal.aborted) return;
    const text = filter(raw);
    return text === null ? undefined : printer.print(text);
  };

  const stop = (): void => controller.abort();
  process.once('SIGINT', stop).once('SIGTERM', stop);
  // `clawdbot logs | head`: a closed pipe ends the command quietly.
  process.stdout.once('error', stop);
  try {
    const files = filesBetween(pattern, since ? dayStamp(since) : today, today);
    let offset = 0;
    for (const [i, path] of files.entries()) {
      const last = i === files.length - 1;
      const result = await readLinesFrom(path, 0, onLine);
      // Following, today's unfinished line is printed when it is finished.
      if (result.fragment !== '' && !(last && options.follow)) await onLine(result.fragment);
      if (controller.signal.aborted) return;
      offset = result.offset;
    }
    await printer.flush();
    if (!options.follow) return;
    await followLog({
      pattern,
      day: today,
      offset,
      now,
      signal: controller.signal,
      onLine: async (raw) => {
        await onLine(raw);
        await printer.flush();
      },
    });
  } finally {
    // A closed pipe (`clawdbot logs | head`) is the one way this fails: nobody reads on.
    await printer.flush().catch(() => undefined);
    process.off('SIGINT', stop).off('SIGTERM', stop);
    process.stdout.off('error', stop);
  }
}
