import { z } from 'zod';
import { LimitsConfigSchema } from '../config/limits-schema.js';

/** The usage subject of every message the owner sends, on any provider or the console. */
export const OWNER_SENDER = 'owner';

/** The fields of every usage count: model tokens (as the API reported them), calls, and messages. */
export const countsShape = {
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  /** Input plus output: what budgets are counted in. */
  tokens: z.number().int(),
  modelCalls: z.number().int(),
  /** Messages let through to their session. */
  messages: z.number().int(),
  /** Messages dropped by a limit (rate, queue, budget). */
  dropped: z.number().int(),
};

/** One sender's use today, against their daily budget. */
export const SenderUsageSchema = z.object({
  /** `owner`, or `<provider>:<sender id>`. */
  sender: z.string(),
  /** The display name last seen, if the platform gave one. */
  name: z.string().nullable(),
  owner: z.boolean(),
  ...countsShape,
  /** The daily token budget that applies to this sender; null: none. */
  dailyTokens: z.number().int().nullable(),
  /** The budget is used up: no model calls for this sender until local midnight. */
  exhausted: z.boolean(),
  sessions: z.array(z.string()),
});
/** One sender's use today. */
export type SenderUsage = z.infer<typeof SenderUsageSchema>;

/** One session's use today. */
export const SessionUsageSchema = z.object({
  sessionKey: z.string(),
  ...countsShape,
  senders: z.array(z.string()),
});
/** One session's use today. */
export type SessionUsage = z.infer<typeof SessionUsageSchema>;

/** Today's model use per sender and session against the limits in force (CLI, status, UI). */
export const UsageReportSchema = z.object({
  /** The local day counted, `YYYY-MM-DD`. */
  day: z.string(),
  /** When the day's budgets reset: the next local midnight (ms since the epoch). */
  resetsAt: z.number(),
  total: z.object({
    ...countsShape,
    /** `limits.dailyTokens`; null: no cap for everyone together. */
    dailyTokens: z.number().int().nullable(),
    exhausted: z.boolean(),
  }),
  senders: z.array(SenderUsageSchema),
  sessions: z.array(SessionUsageSchema),
  /** Some calls were counted from an estimate because the model server reported no usage. */
  estimated: z.boolean(),
  /** The limits in force (from the last good config). */
  limits: LimitsConfigSchema,
});
/** Today's model use against the limits. */
export type UsageReport = z.infer<typeof UsageReportSchema>;
