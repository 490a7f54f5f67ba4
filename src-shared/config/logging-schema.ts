import { z } from 'zod';

/** Log levels, quietest last. */
export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
/** A log level. */
export const LogLevelSchema = z.enum(LOG_LEVELS);
/** A log level. */
export type LogLevel = z.infer<typeof LogLevelSchema>;

/** `logging`: where the JSON-lines log goes and what it may hold. */
export const LoggingConfigSchema = z.strictObject({
  /**
   * The log file; `YYYY-MM-DD` in the name is replaced by the day, so each day gets a new
   * file. Default `/tmp/clawdbot/clawdbot-YYYY-MM-DD.log`.
   */
  file: z.string().trim().regex(/^\//, 'logging.file must be an absolute path').optional(),
  level: LogLevelSchema.default('info'),
  /** Log files older than this many days are removed. */
  keepDays: z.number().int().min(1).max(3650).default(7),
  /** Replace API keys, tokens and configured secrets before anything is written. */
  redactSensitive: z.boolean().default(true),
});
/** `logging`, defaults applied. */
export type LoggingConfig = z.infer<typeof LoggingConfigSchema>;
