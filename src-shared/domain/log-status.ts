import { z } from 'zod';

/**
 * Where the audit trail is being written. Logs go where `logging.file` says unless that
 * directory cannot be trusted (in the shared /tmp another user may have created it first);
 * then they go under the state directory instead, and everything that shows status says so.
 */
export const LogStatusSchema = z.object({
  /** The file today's lines go to. */
  file: z.string(),
  /** Set when the configured directory was refused and the state directory's `logs/` is used. */
  fallback: z
    .object({
      /** The file the config (or `$CLAWDBOT_LOG_FILE`) asked for today. */
      configured: z.string(),
      /** Why it was refused, in words. */
      reason: z.string(),
    })
    .nullable(),
  /** Set when not even the fallback can be written: no audit trail at all, and why. */
  error: z.string().nullable(),
});
/** Where the audit trail is being written. */
export type LogStatus = z.infer<typeof LogStatusSchema>;
