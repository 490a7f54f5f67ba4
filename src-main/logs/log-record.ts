import { LOG_LEVELS, type LogLevel } from '../../src-shared/config/logging-schema.js';

/** One log line as read back: its known fields, the rest, and the raw text it came from. */
export interface LogRecord {
  /** 0-based line number in its file. */
  line: number;
  time: string | null;
  level: LogLevel | null;
  process: string | null;
  scope: string | null;
  msg: string | null;
  /** Every other field of the JSON object. */
  fields: Record<string, unknown>;
  raw: string;
  /** Not a JSON object (e.g. a crash mid-write): shown as raw text only. */
  malformed: boolean;
}

/** The longest raw line handed to a client; a larger one is cut (and is then malformed). */
export const MAX_RAW_CHARS = 16_384;

const levelSet = new Set<string>(LOG_LEVELS);

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

/** Parses one line. Never throws: anything that is not a JSON object is `malformed`. */
export function parseLogRecord(raw: string, line: number): LogRecord {
  const capped = raw.length > MAX_RAW_CHARS ? raw.slice(0, MAX_RAW_CHARS) : raw;
  let value: unknown;
  try {
    value = JSON.parse(capped);
  } catch {
    // Not JSON: kept as `malformed` with its text, so the line is still shown as written.
    value = null;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {
      line,
      time: null,
      level: null,
      process: null,
      scope: null,
      msg: null,
      fields: {},
      raw: capped,
      malformed: true,
    };
  }
  const { time, level, process, scope, msg, ...fields } = value as Record<string, unknown>;
  const levelText = text(level);
  return {
    line,
    time: text(time),
    level: levelText !== null && levelSet.has(levelText) ? (levelText as LogLevel) : null,
    process: text(process),
    scope: text(scope),
    msg: text(msg) ?? (msg === undefined ? null : JSON.stringify(msg)),
    fields,
    raw: capped,
    malformed: false,
  };
}

/** A level's rank, quietest first; unknown levels rank as `debug`. */
export function levelRank(level: LogLevel | null): number {
  return level === null ? 0 : LOG_LEVELS.indexOf(level);
}

/** The time of a line as epoch ms, or null when it has none (or an unreadable one). */
export function recordTimeMs(record: Pick<LogRecord, 'time'>): number | null {
  if (record.time === null) return null;
  const ms = Date.parse(record.time);
  return Number.isNaN(ms) ? null : ms;
}

function fieldText(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  return JSON.stringify(value) ?? String(value);
}

/** The human form the CLI prints: `time level process/scope msg key=value…`. */
export function formatHuman(record: LogRecord): string {
  if (record.malformed) return record.raw;
  const fields = Object.entries(record.fields)
    .map(([key, value]) => ` ${key}=${fieldText(value)}`)
    .join('');
  const level = (record.level ?? '?').toUpperCase().padEnd(5);
  const origin = `${record.process ?? '?'}/${record.scope ?? '?'}`;
  return `${record.time ?? '?'} ${level} ${origin} ${record.msg ?? ''}${fields}`;
}
